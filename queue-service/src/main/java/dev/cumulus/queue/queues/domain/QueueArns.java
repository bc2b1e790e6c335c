package dev.cumulus.queue.queues.domain;

/**
 * Queue ARNs: {@code arn:aws:sqs:<region>:<serviceId>:<name>}. The instance id stands where AWS has
 * the account id: queue names are unique per instance.
 */
public final class QueueArns {

  private QueueArns() {}

  public static String of(String region, String serviceId, String name) {
    return "arn:aws:sqs:" + region + ":" + serviceId + ":" + name;
  }

  /** The queue name an ARN of this instance names; an error for any other ARN. */
  public static String nameIn(String arn, String serviceId) {
    String[] parts = arn == null ? new String[0] : arn.split(":", -1);
    if (parts.length != 6 || !"arn".equals(parts[0]) || !"sqs".equals(parts[2])) {
      throw QueueErrors.invalidParameter("Invalid queue ARN: " + arn);
    }
    if (!parts[4].equals(serviceId)) {
      throw QueueErrors.invalidParameter(
          "The dead-letter queue must belong to the same queue instance: " + arn);
    }
    return parts[5];
  }
}
