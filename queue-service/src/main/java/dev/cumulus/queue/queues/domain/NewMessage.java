package dev.cumulus.queue.queues.domain;

import java.util.Map;

/**
 * A message to send.
 *
 * @param delaySeconds null for the queue's delay
 * @param groupId FIFO queues only, required there
 * @param deduplicationId FIFO queues only; else content-based when the queue has it
 */
public record NewMessage(
    String body,
    Integer delaySeconds,
    Map<String, MessageAttribute> attributes,
    String groupId,
    String deduplicationId) {

  public NewMessage {
    attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
  }
}
