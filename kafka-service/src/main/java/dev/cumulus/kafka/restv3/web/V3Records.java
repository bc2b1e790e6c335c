package dev.cumulus.kafka.restv3.web;

import dev.cumulus.kafka.config.KafkaServiceProperties;
import dev.cumulus.kafka.topics.domain.ConsumeRequest;
import dev.cumulus.kafka.topics.domain.IncomingRecord;
import dev.cumulus.kafka.topics.domain.KafkaErrors;
import dev.cumulus.kafka.topics.domain.StartPosition;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** v3 consume: its parameters as a {@link ConsumeRequest}, a record as a {@code KafkaRecord}. */
final class V3Records {

  private V3Records() {}

  static ConsumeRequest consumeRequest(
      KafkaServiceProperties.Consume limits,
      String topic,
      Integer partition,
      Long offset,
      String group,
      int maxRecords,
      long timeoutMs,
      String from) {
    if (maxRecords < 1 || maxRecords > limits.maxMessages()) {
      throw KafkaErrors.invalidParameter("max_records", "1 to " + limits.maxMessages());
    }
    if (timeoutMs < 0 || timeoutMs > limits.maxTimeout().toMillis()) {
      throw KafkaErrors.invalidParameter("timeout_ms", "0 to " + limits.maxTimeout().toMillis());
    }
    boolean earliest =
        switch (from) {
          case "earliest" -> true;
          case "latest" -> false;
          default -> throw KafkaErrors.invalidParameter("from", "earliest or latest");
        };
    StartPosition start;
    if (offset != null) {
      if (partition == null) {
        throw KafkaErrors.invalidRequest("offset needs partition_id");
      }
      start = new StartPosition.Offset(partition, offset);
    } else if (group != null) {
      start = new StartPosition.Committed(earliest);
    } else {
      start = earliest ? new StartPosition.Earliest() : new StartPosition.Latest();
    }
    return new ConsumeRequest(
        topic,
        group,
        partition,
        start,
        maxRecords,
        limits.maxResponseBytes().toBytes(),
        Duration.ofMillis(timeoutMs),
        true);
  }

  /** A push delivery (SSE or WebSocket): it needs a group to keep its place. */
  static ConsumeRequest pushRequest(
      KafkaServiceProperties.Consume limits,
      String topic,
      Integer partition,
      Long offset,
      String group,
      int maxRecords,
      String from) {
    if (group == null) {
      throw KafkaErrors.invalidRequest("push delivery needs a consumer_group to keep its place");
    }
    return consumeRequest(limits, topic, partition, offset, group, maxRecords, 5000, from);
  }

  static Map<String, Object> record(String clusterId, IncomingRecord r) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("kind", "KafkaRecord");
    body.put("cluster_id", clusterId);
    body.put("topic_name", r.topic());
    body.put("partition_id", r.partition());
    body.put("offset", r.offset());
    body.put("timestamp", Instant.ofEpochMilli(r.timestamp()));
    List<Map<String, String>> headers = new ArrayList<>();
    for (Map.Entry<String, byte[]> h : r.headers()) {
      Map<String, String> header = new LinkedHashMap<>();
      header.put("name", h.getKey());
      header.put(
          "value", h.getValue() == null ? null : Base64.getEncoder().encodeToString(h.getValue()));
      headers.add(header);
    }
    body.put("headers", headers);
    body.put("key", binary(r.key()));
    body.put("value", binary(r.value()));
    return body;
  }

  private static Map<String, Object> binary(byte[] bytes) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("type", "BINARY");
    data.put("data", bytes == null ? null : Base64.getEncoder().encodeToString(bytes));
    return data;
  }
}
