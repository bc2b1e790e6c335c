package dev.cumulus.kafka.topics.domain;

import java.util.List;
import java.util.Map;

/**
 * A record to produce, as bytes.
 *
 * @param partition null lets the producer's partitioner choose (by key)
 * @param timestamp epoch millis, or null for now
 * @param headers in order; a name may repeat
 */
public record OutgoingRecord(
    Integer partition,
    byte[] key,
    byte[] value,
    List<Map.Entry<String, byte[]>> headers,
    Long timestamp) {

  /**
   * Refuses, as the caller's error, what the Kafka producer would throw on (a negative timestamp, a
   * header without a name) only once the record was on its way, where it became a 500.
   */
  public OutgoingRecord {
    if (partition != null && partition < 0) {
      throw KafkaErrors.invalidParameter("partition", "must not be negative");
    }
    if (timestamp != null && timestamp < 0) {
      throw KafkaErrors.invalidParameter("timestamp", "must not be before 1970-01-01T00:00:00Z");
    }
    for (Map.Entry<String, byte[]> header : headers) {
      if (header.getKey() == null) {
        throw KafkaErrors.invalidParameter("header", "every header needs a name");
      }
    }
  }

  /** Key, value and header bytes: what counts against the record size limit. */
  public long size() {
    long size = (key == null ? 0 : key.length) + (value == null ? 0 : value.length);
    for (Map.Entry<String, byte[]> header : headers) {
      size += header.getKey().length() + (header.getValue() == null ? 0 : header.getValue().length);
    }
    return size;
  }
}
