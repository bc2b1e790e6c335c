package dev.cumulus.queue.queues.web;

import dev.cumulus.queue.queues.domain.Queue;

/**
 * The queue URL the REST API shows: the path of the queue under the SQS endpoint ({@code
 * /sqs/<serviceId>/<queue>}), to be resolved against the gateway's address; the SQS protocol
 * answers absolute URLs with the request's host.
 */
final class QueueUrls {

  private QueueUrls() {}

  static String url(Queue queue) {
    return "/sqs/" + queue.serviceId() + "/" + queue.name();
  }
}
