package dev.cumulus.function.sources.domain;

import java.util.List;
import java.util.regex.Pattern;

/**
 * What an {@code EventSourceArn} names: an instance of another service (its id stands where AWS has
 * the account, as in every Cumulus ARN) and a bucket, topic or queue of it.
 *
 * <ul>
 *   <li>{@code arn:aws:s3:<region>:<storageServiceId>:<bucket>}: object-created and -removed events
 *       of a bucket of an s3storage instance;
 *   <li>{@code arn:aws:kafka:<region>:<kafkaServiceId>:cluster/<name>[/...]} with {@code
 *       Topics=[topic]}: a topic of a kafka instance (MSK's shape);
 *   <li>{@code arn:aws:sqs:<region>:<queueServiceId>:<queue>}: a queue of a queue instance.
 * </ul>
 */
public record EventSource(Type type, String arn, String serviceId, String name) {

  /** The kinds of sources, with the instance type that serves each. */
  public enum Type {
    S3("s3storage", "aws:s3"),
    KAFKA("kafka", "aws:kafka"),
    SQS("queue", "aws:sqs");

    private final String instanceType;
    private final String eventSource;

    Type(String instanceType, String eventSource) {
      this.instanceType = instanceType;
      this.eventSource = eventSource;
    }

    public String instanceType() {
      return instanceType;
    }

    /** The {@code eventSource} field of Lambda's events. */
    public String eventSource() {
      return eventSource;
    }
  }

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,249}");

  /**
   * Parses an ARN (and Kafka's {@code Topics}); a message saying what is wrong as {@link
   * IllegalArgumentException}.
   */
  public static EventSource parse(String arn, List<String> topics) {
    if (arn == null || arn.isBlank()) {
      throw new IllegalArgumentException("EventSourceArn is required");
    }
    String[] parts = arn.split(":", 6);
    if (parts.length != 6 || !"arn".equals(parts[0]) || parts[4].isEmpty()) {
      throw new IllegalArgumentException(
          "EventSourceArn must be arn:aws:<s3|kafka|sqs>:<region>:<instance id>:<resource>, not "
              + arn);
    }
    String serviceId = parts[4];
    String resource = parts[5];
    return switch (parts[2]) {
      case "s3" -> new EventSource(Type.S3, arn, serviceId, name(resource, "bucket"));
      case "sqs" -> new EventSource(Type.SQS, arn, serviceId, name(resource, "queue"));
      case "kafka" -> {
        if (!resource.startsWith("cluster/")) {
          throw new IllegalArgumentException("A Kafka EventSourceArn names a cluster: " + arn);
        }
        if (topics == null || topics.size() != 1) {
          throw new IllegalArgumentException("Topics must name exactly one topic");
        }
        yield new EventSource(Type.KAFKA, arn, serviceId, name(topics.getFirst(), "topic"));
      }
      default ->
          throw new IllegalArgumentException(
              "Unsupported event source " + parts[2] + " (s3, kafka and sqs are): " + arn);
    };
  }

  private static String name(String value, String what) {
    if (!NAME.matcher(value).matches()) {
      throw new IllegalArgumentException("Invalid " + what + " name '" + value + "'");
    }
    return value;
  }
}
