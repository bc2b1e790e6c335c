package dev.cumulus.kafka.restv3.web;

import dev.cumulus.kafka.restv3.web.ConfluentV3Controller.Data;
import dev.cumulus.kafka.restv3.web.ConfluentV3Controller.Header;
import dev.cumulus.kafka.restv3.web.ConfluentV3Controller.ProduceRecord;
import dev.cumulus.kafka.topics.domain.KafkaErrors;
import dev.cumulus.kafka.topics.domain.OutgoingRecord;
import java.nio.charset.StandardCharsets;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.ObjectMapper;

/**
 * v3 produce: a {@code ProduceRecord} as the bytes to produce. Whatever the record gets wrong is an
 * API error, which the caller answers as that record's delivery report.
 */
final class V3ProduceRecords {

  private V3ProduceRecords() {}

  static OutgoingRecord outgoing(ObjectMapper json, ProduceRecord record) {
    List<Map.Entry<String, byte[]>> headers = new ArrayList<>();
    if (record.headers() != null) {
      for (Header h : record.headers()) {
        if (h == null) {
          throw KafkaErrors.invalidRequest("headers must not hold null");
        }
        headers.add(
            new AbstractMap.SimpleImmutableEntry<>(
                h.name(), h.value() == null ? null : base64(h.value(), "header " + h.name())));
      }
    }
    return new OutgoingRecord(
        record.partition_id(),
        bytes(json, record.key(), "key"),
        bytes(json, record.value(), "value"),
        headers,
        record.timestamp() == null ? null : record.timestamp().toEpochMilli());
  }

  private static byte[] bytes(ObjectMapper json, Data data, String field) {
    if (data == null || data.data() == null || data.data().isNull()) {
      return null;
    }
    String type = data.type() == null ? "JSON" : data.type();
    return switch (type) {
      case "BINARY" -> base64(text(data, field), field);
      case "STRING" -> text(data, field).getBytes(StandardCharsets.UTF_8);
      case "JSON" -> json.writeValueAsString(data.data()).getBytes(StandardCharsets.UTF_8);
      default ->
          throw KafkaErrors.invalidRequest(
              field + ".type must be BINARY, JSON or STRING (no schema registry here)");
    };
  }

  /** BINARY and STRING data is a JSON string (an object or array there failed as a 500). */
  private static String text(Data data, String field) {
    if (!data.data().isString()) {
      throw KafkaErrors.invalidRequest(field + ".data must be a string for type " + data.type());
    }
    return data.data().asString();
  }

  private static byte[] base64(String text, String field) {
    try {
      return Base64.getDecoder().decode(text);
    } catch (IllegalArgumentException e) {
      throw KafkaErrors.invalidRequest(field + " is not valid base64");
    }
  }
}
