package dev.cumulus.kafka.topics.domain;

import dev.cumulus.platform.error.ErrorKind;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A topic to create, validated: the seed's fields mapped to Kafka's topic configs.
 *
 * @param replicationFactor null for the broker's default
 */
public record TopicSpec(
    String name, int partitions, Short replicationFactor, Map<String, String> configs) {

  static final int MAX_PARTITIONS = 1000;
  private static final Set<String> COMPRESSION =
      Set.of("uncompressed", "zstd", "lz4", "snappy", "gzip", "producer");
  private static final Set<String> CLEANUP = Set.of("delete", "compact", "compact,delete");

  /** From the seed's request fields; any may be null (Kafka's default then applies). */
  public static TopicSpec of(
      String name,
      Integer partitions,
      Integer replicationFactor,
      Long retentionMs,
      String compressionType,
      String cleanupPolicy) {
    if (name == null || name.isBlank()) {
      throw KafkaErrors.missingParameter("name");
    }
    int p = partitions == null ? 1 : partitions;
    if (p < 1 || p > MAX_PARTITIONS) {
      throw KafkaErrors.of(
          ErrorKind.BAD_REQUEST,
          "InvalidPartitions",
          "partitions must be between 1 and " + MAX_PARTITIONS);
    }
    if (replicationFactor != null && (replicationFactor < 1 || replicationFactor > 32)) {
      throw KafkaErrors.of(
          ErrorKind.BAD_REQUEST,
          "InvalidReplicationFactor",
          "replicationFactor must be between 1 and the number of brokers");
    }
    Map<String, String> configs = new LinkedHashMap<>();
    if (retentionMs != null) {
      if (retentionMs < -1) {
        throw KafkaErrors.invalidParameter("retentionMs", "-1 (forever) or a positive number");
      }
      configs.put("retention.ms", Long.toString(retentionMs));
    }
    if (compressionType != null) {
      if (!COMPRESSION.contains(compressionType)) {
        throw KafkaErrors.invalidParameter("compressionType", "one of " + COMPRESSION);
      }
      configs.put("compression.type", compressionType);
    }
    if (cleanupPolicy != null) {
      String policy = cleanupPolicy.replace(" ", "");
      if (!CLEANUP.contains(policy) && !policy.equals("delete,compact")) {
        throw KafkaErrors.invalidParameter("cleanupPolicy", "delete, compact or compact,delete");
      }
      configs.put("cleanup.policy", policy);
    }
    return new TopicSpec(
        name, p, replicationFactor == null ? null : replicationFactor.shortValue(), configs);
  }
}
