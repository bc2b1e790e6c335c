package dev.cumulus.queue.queues.web;

import dev.cumulus.queue.queues.domain.Queue;

/**
 * The queue URL the REST API shows: the queue's path under the SQS endpoint ({@code
 * <prefix>/<serviceId>/<queue>}), to be resolved against the gateway's address; the SQS protocol
 * itself answers absolute URLs with the Host the client signed.
 */
final class QueueUrls {

  private QueueUrls() {}

  static String url(String sqsPrefix, Queue queue) {
    return sqsPrefix + "/" + queue.serviceId() + "/" + queue.name();
  }
}
