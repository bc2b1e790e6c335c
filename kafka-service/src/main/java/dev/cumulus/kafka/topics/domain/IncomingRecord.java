package dev.cumulus.kafka.topics.domain;

import java.util.List;
import java.util.Map;

/** A record read from a topic, as bytes; {@code topic} is the tenant's name. */
public record IncomingRecord(
    String topic,
    int partition,
    long offset,
    long timestamp,
    String timestampType,
    byte[] key,
    byte[] value,
    List<Map.Entry<String, byte[]>> headers) {

  public long size() {
    long size = (key == null ? 0 : key.length) + (value == null ? 0 : value.length);
    for (Map.Entry<String, byte[]> header : headers) {
      size += header.getKey().length() + (header.getValue() == null ? 0 : header.getValue().length);
    }
    return size;
  }
}
