package dev.cumulus.queue.queues.domain;

/**
 * A queue's configuration, with SQS's defaults and limits.
 *
 * @param maxReceiveCount receives after which a message moves to {@code deadLetterQueue}
 * @param deadLetterQueue a queue of the same instance, or null
 */
public record QueueSettings(
    boolean fifo,
    boolean contentBasedDeduplication,
    int visibilityTimeout,
    int messageRetentionPeriod,
    int delaySeconds,
    int maximumMessageSize,
    int receiveMessageWaitTimeSeconds,
    Integer maxReceiveCount,
    String deadLetterQueue) {

  public static final int MAX_VISIBILITY_TIMEOUT = 43_200;
  public static final int MAX_DELAY = 900;
  public static final int MAX_WAIT = 20;
  public static final int MAX_MESSAGE_SIZE = 262_144;

  public static QueueSettings defaults(boolean fifo) {
    return new QueueSettings(fifo, false, 30, 345_600, 0, MAX_MESSAGE_SIZE, 0, null, null);
  }

  public QueueSettings withVisibilityTimeout(int seconds) {
    check("VisibilityTimeout", seconds, 0, MAX_VISIBILITY_TIMEOUT);
    return new QueueSettings(
        fifo,
        contentBasedDeduplication,
        seconds,
        messageRetentionPeriod,
        delaySeconds,
        maximumMessageSize,
        receiveMessageWaitTimeSeconds,
        maxReceiveCount,
        deadLetterQueue);
  }

  public QueueSettings withMessageRetentionPeriod(int seconds) {
    check("MessageRetentionPeriod", seconds, 60, 1_209_600);
    return new QueueSettings(
        fifo,
        contentBasedDeduplication,
        visibilityTimeout,
        seconds,
        delaySeconds,
        maximumMessageSize,
        receiveMessageWaitTimeSeconds,
        maxReceiveCount,
        deadLetterQueue);
  }

  public QueueSettings withDelaySeconds(int seconds) {
    check("DelaySeconds", seconds, 0, MAX_DELAY);
    return new QueueSettings(
        fifo,
        contentBasedDeduplication,
        visibilityTimeout,
        messageRetentionPeriod,
        seconds,
        maximumMessageSize,
        receiveMessageWaitTimeSeconds,
        maxReceiveCount,
        deadLetterQueue);
  }

  public QueueSettings withMaximumMessageSize(int bytes) {
    check("MaximumMessageSize", bytes, 1024, MAX_MESSAGE_SIZE);
    return new QueueSettings(
        fifo,
        contentBasedDeduplication,
        visibilityTimeout,
        messageRetentionPeriod,
        delaySeconds,
        bytes,
        receiveMessageWaitTimeSeconds,
        maxReceiveCount,
        deadLetterQueue);
  }

  public QueueSettings withReceiveMessageWaitTimeSeconds(int seconds) {
    check("ReceiveMessageWaitTimeSeconds", seconds, 0, MAX_WAIT);
    return new QueueSettings(
        fifo,
        contentBasedDeduplication,
        visibilityTimeout,
        messageRetentionPeriod,
        delaySeconds,
        maximumMessageSize,
        seconds,
        maxReceiveCount,
        deadLetterQueue);
  }

  public QueueSettings withContentBasedDeduplication(boolean enabled) {
    if (enabled && !fifo) {
      throw QueueErrors.invalidAttributeName("ContentBasedDeduplication");
    }
    return new QueueSettings(
        fifo,
        enabled,
        visibilityTimeout,
        messageRetentionPeriod,
        delaySeconds,
        maximumMessageSize,
        receiveMessageWaitTimeSeconds,
        maxReceiveCount,
        deadLetterQueue);
  }

  /** A redrive policy; a null {@code deadLetterQueue} keeps only the count (no moves). */
  public QueueSettings withRedrive(Integer maxReceives, String deadLetter) {
    if (maxReceives != null) {
      check("maxReceiveCount", maxReceives, 1, 1000);
    }
    if (deadLetter != null && maxReceives == null) {
      throw QueueErrors.invalidAttributeValue(
          "RedrivePolicy", "maxReceiveCount is required with a dead-letter queue");
    }
    return new QueueSettings(
        fifo,
        contentBasedDeduplication,
        visibilityTimeout,
        messageRetentionPeriod,
        delaySeconds,
        maximumMessageSize,
        receiveMessageWaitTimeSeconds,
        maxReceives,
        deadLetter);
  }

  /** Whether exhausted messages move somewhere. */
  public boolean redrives() {
    return maxReceiveCount != null && deadLetterQueue != null;
  }

  private static void check(String name, long value, long min, long max) {
    if (value < min || value > max) {
      throw QueueErrors.invalidAttributeValue(
          name, "must be between " + min + " and " + max + ", was " + value);
    }
  }
}
