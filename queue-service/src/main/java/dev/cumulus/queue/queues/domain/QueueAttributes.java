package dev.cumulus.queue.queues.domain;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** SQS's queue attributes by name: applying them to settings, and reading them from a queue. */
public final class QueueAttributes {

  /** Every attribute GetQueueAttributes answers, in SQS's order. */
  public static final List<String> READABLE =
      List.of(
          "QueueArn",
          "ApproximateNumberOfMessages",
          "ApproximateNumberOfMessagesNotVisible",
          "ApproximateNumberOfMessagesDelayed",
          "CreatedTimestamp",
          "LastModifiedTimestamp",
          "VisibilityTimeout",
          "MaximumMessageSize",
          "MessageRetentionPeriod",
          "DelaySeconds",
          "ReceiveMessageWaitTimeSeconds",
          "RedrivePolicy",
          "FifoQueue",
          "ContentBasedDeduplication",
          "SqsManagedSseEnabled");

  private static final Pattern REDRIVE_ARN =
      Pattern.compile("\"deadLetterTargetArn\"\\s*:\\s*\"([^\"]*)\"");
  private static final Pattern REDRIVE_COUNT =
      Pattern.compile("\"maxReceiveCount\"\\s*:\\s*\"?(\\d{1,9})\"?");

  private QueueAttributes() {}

  /** Whether the attributes ask for a FIFO queue ({@code FifoQueue=true}). */
  public static boolean fifo(Map<String, String> attributes) {
    return "true".equalsIgnoreCase(attributes.getOrDefault("FifoQueue", "false"));
  }

  /** The settings with {@code attributes} applied; errors name the offending attribute. */
  public static QueueSettings apply(
      QueueSettings settings, Map<String, String> attributes, String serviceId) {
    QueueSettings result = settings;
    for (Map.Entry<String, String> attribute : attributes.entrySet()) {
      String name = attribute.getKey();
      String value = attribute.getValue() == null ? "" : attribute.getValue().trim();
      result =
          switch (name) {
            case "VisibilityTimeout" -> result.withVisibilityTimeout(integer(name, value));
            case "MessageRetentionPeriod" ->
                result.withMessageRetentionPeriod(integer(name, value));
            case "DelaySeconds" -> result.withDelaySeconds(integer(name, value));
            case "MaximumMessageSize" -> result.withMaximumMessageSize(integer(name, value));
            case "ReceiveMessageWaitTimeSeconds" ->
                result.withReceiveMessageWaitTimeSeconds(integer(name, value));
            case "ContentBasedDeduplication" ->
                result.withContentBasedDeduplication(bool(name, value));
            case "RedrivePolicy" -> redrive(result, value, serviceId);
            case "FifoQueue" -> {
              if (bool(name, value) != result.fifo()) {
                throw QueueErrors.invalidAttributeValue(name, "a queue's type cannot change");
              }
              yield result;
            }
            // Accepted and ignored, as encryption at rest is the database's.
            case "SqsManagedSseEnabled",
                "KmsMasterKeyId",
                "KmsDataKeyReusePeriodSeconds",
                "Policy",
                "DeduplicationScope",
                "FifoThroughputLimit",
                "RedriveAllowPolicy" ->
                result;
            default -> throw QueueErrors.invalidAttributeName(name);
          };
    }
    return result;
  }

  /** The attributes named (or all of them for {@code All}) of a queue. */
  public static Map<String, String> read(
      Queue queue, QueueStats stats, String region, Collection<String> names) {
    List<String> wanted = new ArrayList<>();
    for (String name : names) {
      if ("All".equals(name)) {
        wanted.addAll(READABLE);
      } else if (READABLE.contains(name)) {
        wanted.add(name);
      } else {
        throw QueueErrors.invalidAttributeName(name);
      }
    }
    QueueSettings s = queue.settings();
    Map<String, String> values = new LinkedHashMap<>();
    for (String name : READABLE) {
      if (!wanted.contains(name)) {
        continue;
      }
      String value =
          switch (name) {
            case "QueueArn" -> QueueArns.of(region, queue.serviceId(), queue.name());
            case "ApproximateNumberOfMessages" -> Long.toString(stats.visible());
            case "ApproximateNumberOfMessagesNotVisible" -> Long.toString(stats.inFlight());
            case "ApproximateNumberOfMessagesDelayed" -> Long.toString(stats.delayed());
            case "CreatedTimestamp" -> Long.toString(queue.createdAt().getEpochSecond());
            case "LastModifiedTimestamp" -> Long.toString(queue.updatedAt().getEpochSecond());
            case "VisibilityTimeout" -> Integer.toString(s.visibilityTimeout());
            case "MaximumMessageSize" -> Integer.toString(s.maximumMessageSize());
            case "MessageRetentionPeriod" -> Integer.toString(s.messageRetentionPeriod());
            case "DelaySeconds" -> Integer.toString(s.delaySeconds());
            case "ReceiveMessageWaitTimeSeconds" ->
                Integer.toString(s.receiveMessageWaitTimeSeconds());
            case "RedrivePolicy" ->
                s.redrives()
                    ? "{\"deadLetterTargetArn\":\""
                        + QueueArns.of(region, queue.serviceId(), s.deadLetterQueue())
                        + "\",\"maxReceiveCount\":"
                        + s.maxReceiveCount()
                        + "}"
                    : null;
            case "FifoQueue" -> s.fifo() ? "true" : null;
            case "ContentBasedDeduplication" ->
                s.fifo() ? Boolean.toString(s.contentBasedDeduplication()) : null;
            case "SqsManagedSseEnabled" -> "false";
            default -> null;
          };
      if (value != null) {
        values.put(name, value);
      }
    }
    return values;
  }

  private static QueueSettings redrive(QueueSettings settings, String policy, String serviceId) {
    if (policy.isEmpty()) {
      return settings.withRedrive(null, null);
    }
    Matcher arn = REDRIVE_ARN.matcher(policy);
    Matcher count = REDRIVE_COUNT.matcher(policy);
    if (!arn.find() || !count.find()) {
      throw QueueErrors.invalidAttributeValue(
          "RedrivePolicy",
          "Redrive policy requires deadLetterTargetArn and maxReceiveCount, as JSON");
    }
    return settings.withRedrive(
        Integer.parseInt(count.group(1)), QueueArns.nameIn(arn.group(1), serviceId));
  }

  private static int integer(String name, String value) {
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw QueueErrors.invalidAttributeValue(name, "must be an integer, was '" + value + "'");
    }
  }

  private static boolean bool(String name, String value) {
    if (!value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
      throw QueueErrors.invalidAttributeValue(name, "must be true or false, was '" + value + "'");
    }
    return Boolean.parseBoolean(value);
  }
}
