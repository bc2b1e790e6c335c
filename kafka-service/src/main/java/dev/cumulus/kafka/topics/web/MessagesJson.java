package dev.cumulus.kafka.topics.web;

import dev.cumulus.kafka.topics.domain.IncomingRecord;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.json.UTF8JsonGenerator;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.ValueSerializer;

/**
 * Writes a consume answer straight from the records' bytes: a key, value or header that is UTF-8
 * goes out through {@link JsonGenerator#writeUTF8String} (escaped, never turned into a {@code
 * String}), anything else as base64 with {@code "encoding":"base64"}. The same JSON as a view
 * object per record would give, without the view objects and the two copies of every value they
 * cost (decoded to a String, then encoded back to UTF-8 by the generator).
 */
final class MessagesJson extends ValueSerializer<KafkaController.Messages> {

  @Override
  public void serialize(
      KafkaController.Messages messages, JsonGenerator gen, SerializationContext context) {
    // The mapper's own Instant format, as the view objects had it.
    ValueSerializer<Object> instants = context.findValueSerializer(Instant.class);
    gen.writeStartObject();
    gen.writeStringProperty("topic", messages.topic());
    if (messages.consumerGroup() != null) {
      gen.writeStringProperty("consumerGroup", messages.consumerGroup());
    }
    gen.writeName("messages");
    gen.writeStartArray();
    for (IncomingRecord record : messages.records()) {
      write(record, messages.base64(), gen, context, instants);
    }
    gen.writeEndArray();
    // Last, so that a reader can find it at the end of a large answer.
    gen.writeNumberProperty("count", messages.records().size());
    gen.writeEndObject();
  }

  private static void write(
      IncomingRecord r,
      boolean forceBase64,
      JsonGenerator gen,
      SerializationContext context,
      ValueSerializer<Object> instants) {
    Map<String, byte[]> headers = headers(r);
    boolean base64 =
        forceBase64
            || !RecordCodec.isUtf8(r.key())
            || !RecordCodec.isUtf8(r.value())
            || !headers.values().stream().allMatch(RecordCodec::isUtf8);
    gen.writeStartObject();
    gen.writeStringProperty("topic", r.topic());
    gen.writeNumberProperty("partition", r.partition());
    gen.writeNumberProperty("offset", r.offset());
    gen.writeName("timestamp");
    instants.serialize(Instant.ofEpochMilli(r.timestamp()), gen, context);
    if (r.timestampType() != null) {
      gen.writeStringProperty("timestampType", r.timestampType());
    }
    bytes(gen, "key", r.key(), base64);
    bytes(gen, "value", r.value(), base64);
    gen.writeName("headers");
    gen.writeStartObject();
    for (Map.Entry<String, byte[]> header : headers.entrySet()) {
      gen.writeName(header.getKey());
      text(gen, header.getValue(), base64);
    }
    gen.writeEndObject();
    if (base64) {
      gen.writeStringProperty("encoding", "base64");
    }
    gen.writeEndObject();
  }

  /** Headers by name; a repeated name keeps its first place and its last value. */
  private static Map<String, byte[]> headers(IncomingRecord r) {
    if (r.headers().isEmpty()) {
      return Map.of();
    }
    Map<String, byte[]> headers = new LinkedHashMap<>();
    for (Map.Entry<String, byte[]> header : r.headers()) {
      headers.put(header.getKey(), header.getValue());
    }
    return headers;
  }

  /** A key or value: left out when null. */
  private static void bytes(JsonGenerator gen, String name, byte[] bytes, boolean base64) {
    if (bytes != null) {
      gen.writeName(name);
      text(gen, bytes, base64);
    }
  }

  private static void text(JsonGenerator gen, byte[] bytes, boolean base64) {
    if (bytes == null) {
      gen.writeNull();
    } else if (base64) {
      gen.writeString(RecordCodec.base64(bytes));
    } else if (gen instanceof UTF8JsonGenerator) {
      gen.writeUTF8String(bytes, 0, bytes.length);
    } else { // a generator writing chars (to a String) has no UTF-8 form
      gen.writeString(new String(bytes, StandardCharsets.UTF_8));
    }
  }
}
