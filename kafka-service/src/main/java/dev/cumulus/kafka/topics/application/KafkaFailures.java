package dev.cumulus.kafka.topics.application;

import dev.cumulus.kafka.topics.domain.KafkaErrors;
import dev.cumulus.platform.error.ApiException;
import dev.cumulus.platform.error.ErrorKind;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidPartitionsException;
import org.apache.kafka.common.errors.InvalidReplicationFactorException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.PolicyViolationException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Turns what the Kafka clients throw into the API's errors, named as Kafka names them, so a broker
 * refusal reaches the caller as a 4xx in the envelope and never as a 500.
 */
public final class KafkaFailures {

  private KafkaFailures() {}

  /** The API error for a failure of a Kafka call about {@code topic} (the tenant's name). */
  public static Throwable translate(Throwable failure, String topic) {
    Throwable cause = unwrap(failure);
    return switch (cause) {
      case ApiException api -> api;
      case UnknownTopicOrPartitionException e -> KafkaErrors.unknownTopic(topic);
      case InvalidPartitionsException e -> bad("InvalidPartitions", e);
      case InvalidReplicationFactorException e -> bad("InvalidReplicationFactor", e);
      case InvalidTopicException e -> bad("InvalidTopicException", e);
      case PolicyViolationException e -> bad("PolicyViolation", e);
      case InvalidConfigurationException e -> bad("InvalidConfig", e);
      case RecordTooLargeException e ->
          KafkaErrors.of(ErrorKind.PAYLOAD_TOO_LARGE, "RecordTooLarge", e.getMessage());
      case TimeoutException e ->
          KafkaErrors.unavailable("The Kafka cluster did not answer in time: " + e.getMessage());
      case org.apache.kafka.common.errors.ApiException e ->
          KafkaErrors.of(ErrorKind.BAD_GATEWAY, e.getClass().getSimpleName(), e.getMessage());
      default -> cause;
    };
  }

  /** The failure behind the futures' wrappers ({@code CompletionException}, ...). */
  public static Throwable unwrap(Throwable failure) {
    Throwable cause = failure;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }

  private static ApiException bad(String code, Exception e) {
    return KafkaErrors.of(ErrorKind.BAD_REQUEST, code, e.getMessage());
  }
}
