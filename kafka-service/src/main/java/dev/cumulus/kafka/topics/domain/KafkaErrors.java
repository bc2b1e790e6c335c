package dev.cumulus.kafka.topics.domain;

import dev.cumulus.platform.error.ApiException;
import dev.cumulus.platform.error.ErrorKind;
import java.util.Map;

/**
 * Errors with Kafka's own error names as codes (as the Kafka protocol and Confluent's REST Proxy
 * name them), rendered in the DockSaaS envelope by the seed's API.
 */
public final class KafkaErrors {

  private KafkaErrors() {}

  public static ApiException of(ErrorKind kind, String code, String message) {
    return new ApiException(kind, message, code, null, Map.of(), null);
  }

  public static ApiException unknownTopic(String topic) {
    return of(
        ErrorKind.NOT_FOUND,
        "UnknownTopicOrPartition",
        "This server does not host this topic: " + topic);
  }

  public static ApiException unknownPartition(String topic, int partition) {
    return of(
        ErrorKind.NOT_FOUND,
        "UnknownTopicOrPartition",
        "Topic " + topic + " has no partition " + partition);
  }

  public static ApiException topicExists(String topic) {
    return of(ErrorKind.CONFLICT, "TopicAlreadyExists", "Topic '" + topic + "' already exists.");
  }

  public static ApiException unknownGroup(String group) {
    return of(ErrorKind.NOT_FOUND, "GroupIdNotFound", "Consumer group " + group + " not found");
  }

  public static ApiException invalidRequest(String message) {
    return of(ErrorKind.BAD_REQUEST, "InvalidRequest", message);
  }

  public static ApiException missingParameter(String name) {
    return of(
        ErrorKind.BAD_REQUEST,
        "MissingParameter",
        "The request must contain the parameter " + name);
  }

  public static ApiException invalidParameter(String name, String why) {
    return of(ErrorKind.BAD_REQUEST, "InvalidParameterValue", "Invalid " + name + ": " + why);
  }

  public static ApiException recordTooLarge(long bytes, long max) {
    return of(
        ErrorKind.PAYLOAD_TOO_LARGE,
        "RecordTooLarge",
        "The record is " + bytes + " bytes, more than the maximum of " + max + " bytes");
  }

  public static ApiException groupActive(String group) {
    return of(
        ErrorKind.CONFLICT,
        "GroupActive",
        "Consumer group "
            + group
            + " has active members (a native consumer subscribed to it); REST consume cannot"
            + " commit for it. Use another group.");
  }

  public static ApiException groupNotEmpty(String group) {
    return of(
        ErrorKind.CONFLICT,
        "GroupNotEmpty",
        "Consumer group " + group + " has active members (a native consumer); stop them first");
  }

  public static ApiException groupBusy(String group) {
    return of(
        ErrorKind.CONFLICT,
        "ConsumerGroupBusy",
        "Another consume of consumer group " + group + " is still running; try again");
  }

  /** The running consume calls hold this node's bound of records (consume.in-flight-bytes). */
  public static ApiException consumeCapacityExhausted() {
    return of(
        ErrorKind.SERVICE_UNAVAILABLE,
        "ConsumeCapacityExhausted",
        "Too many consume calls are holding records on this node; try again shortly");
  }

  public static ApiException unavailable(String message) {
    return of(ErrorKind.SERVICE_UNAVAILABLE, "ServiceUnavailable", message);
  }
}
