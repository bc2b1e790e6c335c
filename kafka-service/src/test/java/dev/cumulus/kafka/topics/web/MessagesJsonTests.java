package dev.cumulus.kafka.topics.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.cumulus.kafka.topics.domain.IncomingRecord;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * The consume answer written from the records' bytes is the JSON that one view object per record
 * (key, value and headers decoded to Strings first) gives: text escaped the same way, non-UTF-8
 * records as base64, nulls left out or written as before.
 */
class MessagesJsonTests {

  private static final ObjectMapper JSON = JsonMapper.builder().build();

  @Test
  void textRecordsAreTheJsonOfTheirDecodedStrings() {
    List<IncomingRecord> records =
        List.of(
            record("k", "plain ascii " + "v".repeat(2000), List.of()),
            record(
                "q",
                "quotes \" backslash \\ slash / tab \t newline \n nul \0 bell \u0007",
                List.of()),
            record("ключ", "é, ü, 漢字 and an emoji 😀 (four bytes)", List.of()),
            record(null, "no key", List.of(header("trace", "t-1"), header("empty", ""))),
            record("no value", null, List.of(header("none", null))),
            record(
                "dup",
                "x",
                List.of(header("h", "first"), header("other", "o"), header("h", "last"))));

    assertSameAsViews(records, false, "analytics");
    assertSameAsViews(records, true, null); // format=base64
  }

  @Test
  void aRecordWithAnyBinaryPartIsBase64Throughout() {
    byte[] notUtf8 = {(byte) 0xff, 0, (byte) 0xfe};
    byte[] surrogate = {(byte) 0xed, (byte) 0xa0, (byte) 0x80}; // CESU, not UTF-8
    byte[] overlong = {(byte) 0xc0, (byte) 0xaf};
    List<IncomingRecord> records =
        List.of(
            new IncomingRecord("t", 0, 1, 0, "CreateTime", "k".getBytes(), notUtf8, List.of()),
            new IncomingRecord("t", 0, 2, 1, "CreateTime", surrogate, "v".getBytes(), List.of()),
            new IncomingRecord(
                "t",
                1,
                3,
                1_700_000_000_123L,
                "LogAppendTime",
                "k".getBytes(),
                "v".getBytes(),
                List.of(new AbstractMap.SimpleImmutableEntry<>("bin", overlong))));

    JsonNode written = write(records, false, "g");

    assertThat(written).isEqualTo(views(records, false, "g"));
    assertThat(written.path("messages").findValuesAsString("encoding"))
        .containsExactly("base64", "base64", "base64");
    assertThat(written.path("messages").get(0).path("value").asString())
        .isEqualTo(Base64.getEncoder().encodeToString(notUtf8));
  }

  @Test
  void theCountComesLast() {
    String text =
        JSON.writeValueAsString(
            new KafkaController.Messages("t", null, List.of(record("k", "v", List.of())), false));
    assertThat(text).endsWith(",\"count\":1}").doesNotContain("consumerGroup");
  }

  private static void assertSameAsViews(
      List<IncomingRecord> records, boolean base64, String group) {
    JsonNode expected = views(records, base64, group);
    assertThat(write(records, base64, group)).isEqualTo(expected);
    // Written as chars (no UTF-8 generator): the same
    assertThat(
            JSON.readTree(
                JSON.writeValueAsString(new KafkaController.Messages("t", group, records, base64))))
        .isEqualTo(expected);
  }

  private static JsonNode write(List<IncomingRecord> records, boolean base64, String group) {
    return JSON.readTree(
        JSON.writeValueAsBytes(new KafkaController.Messages("t", group, records, base64)));
  }

  // --- the view objects the answer was made of before, as the oracle -------------------------

  @JsonInclude(JsonInclude.Include.NON_NULL)
  record View(
      String topic,
      int partition,
      long offset,
      Instant timestamp,
      String timestampType,
      String key,
      String value,
      Map<String, String> headers,
      String encoding) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Views(String topic, String consumerGroup, List<View> messages, int count) {}

  private static JsonNode views(List<IncomingRecord> records, boolean forceBase64, String group) {
    List<View> views = new ArrayList<>();
    for (IncomingRecord r : records) {
      String key = forceBase64 ? null : RecordCodec.utf8OrNull(r.key());
      String value = forceBase64 ? null : RecordCodec.utf8OrNull(r.value());
      boolean base64 =
          forceBase64
              || (key == null && r.key() != null)
              || (value == null && r.value() != null)
              || r.headers().stream()
                  .anyMatch(
                      h -> RecordCodec.utf8OrNull(h.getValue()) == null && h.getValue() != null);
      Map<String, String> headers = new LinkedHashMap<>();
      for (Map.Entry<String, byte[]> header : r.headers()) {
        byte[] v = header.getValue();
        headers.put(
            header.getKey(),
            v == null ? null : base64 ? RecordCodec.base64(v) : RecordCodec.utf8OrNull(v));
      }
      views.add(
          new View(
              r.topic(),
              r.partition(),
              r.offset(),
              Instant.ofEpochMilli(r.timestamp()),
              r.timestampType(),
              base64 ? RecordCodec.base64(r.key()) : key,
              base64 ? RecordCodec.base64(r.value()) : value,
              headers,
              base64 ? "base64" : null));
    }
    return JSON.readTree(JSON.writeValueAsBytes(new Views("t", group, views, views.size())));
  }

  private static IncomingRecord record(
      String key, String value, List<Map.Entry<String, byte[]>> headers) {
    return new IncomingRecord(
        "t", 2, 42, 1_765_000_000_000L, "CreateTime", utf8(key), utf8(value), headers);
  }

  private static Map.Entry<String, byte[]> header(String name, String value) {
    return new AbstractMap.SimpleImmutableEntry<>(name, utf8(value));
  }

  private static byte[] utf8(String text) {
    return text == null ? null : text.getBytes(StandardCharsets.UTF_8);
  }
}
