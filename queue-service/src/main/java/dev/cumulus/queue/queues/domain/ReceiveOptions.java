package dev.cumulus.queue.queues.domain;

/**
 * What a receive asks for.
 *
 * @param visibilityTimeout null for the queue's
 * @param waitTimeSeconds null for the queue's ReceiveMessageWaitTimeSeconds
 */
public record ReceiveOptions(int maxMessages, Integer visibilityTimeout, Integer waitTimeSeconds) {

  public ReceiveOptions {
    if (maxMessages < 1 || maxMessages > 10) {
      throw QueueErrors.invalidParameter(
          "Value "
              + maxMessages
              + " for parameter MaxNumberOfMessages is invalid. Reason: Must be"
              + " between 1 and 10, if provided.");
    }
    if (visibilityTimeout != null
        && (visibilityTimeout < 0 || visibilityTimeout > QueueSettings.MAX_VISIBILITY_TIMEOUT)) {
      throw QueueErrors.invalidParameter(
          "Value "
              + visibilityTimeout
              + " for parameter VisibilityTimeout is invalid. Reason:"
              + " Must be between 0 and 43200.");
    }
    if (waitTimeSeconds != null
        && (waitTimeSeconds < 0 || waitTimeSeconds > QueueSettings.MAX_WAIT)) {
      throw QueueErrors.invalidParameter(
          "Value "
              + waitTimeSeconds
              + " for parameter WaitTimeSeconds is invalid. Reason: Must be"
              + " >= 0 and <= 20, if provided.");
    }
  }
}
