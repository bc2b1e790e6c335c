package dev.cumulus.kafka.restv3.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cumulus.kafka.restv3.web.ConfluentV3Controller.Data;
import dev.cumulus.kafka.restv3.web.ConfluentV3Controller.Header;
import dev.cumulus.kafka.restv3.web.ConfluentV3Controller.ProduceRecord;
import dev.cumulus.kafka.topics.domain.OutgoingRecord;
import dev.cumulus.platform.error.ApiException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A v3 record that is wrong in any way is an API error (its delivery report), never a 500. */
class V3ProduceRecordsTests {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private static ProduceRecord record(Data value, List<Header> headers, Instant timestamp) {
    return new ProduceRecord(null, headers, null, value, timestamp);
  }

  private static Data data(String type, String json) {
    return new Data(type, JSON.readTree(json));
  }

  @Test
  void eachTypeBecomesItsBytes() {
    OutgoingRecord binary =
        V3ProduceRecords.outgoing(
            JSON, record(data("BINARY", "\"AQI=\""), List.of(new Header("h", "AA==")), null));
    assertThat(binary.value()).containsExactly(1, 2);
    assertThat(binary.headers().get(0).getValue()).containsExactly(0);
    assertThat(V3ProduceRecords.outgoing(JSON, record(data("STRING", "\"é\""), null, null)).value())
        .isEqualTo("é".getBytes(StandardCharsets.UTF_8));
    assertThat(V3ProduceRecords.outgoing(JSON, record(data(null, "{\"a\":1}"), null, null)).value())
        .isEqualTo("{\"a\":1}".getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void binaryOrStringDataThatIsNoStringIsAnInvalidRequest() {
    for (String type : List.of("BINARY", "STRING")) {
      for (String data : List.of("{\"a\":1}", "[1]")) {
        assertRefused(record(data(type, data), null, null), "InvalidRequest");
      }
    }
  }

  @Test
  void aHeaderWithoutANameOrATimeBefore1970IsRefused() {
    JsonNode value = JSON.readTree("\"x\"");
    assertRefused(
        record(new Data("STRING", value), List.of(new Header(null, "AA==")), null),
        "InvalidParameterValue");
    assertRefused(
        record(new Data("STRING", value), java.util.Arrays.asList((Header) null), null),
        "InvalidRequest");
    assertRefused(
        record(new Data("STRING", value), null, Instant.parse("1969-12-31T23:59:59Z")),
        "InvalidParameterValue");
  }

  private static void assertRefused(ProduceRecord record, String code) {
    assertThatThrownBy(() -> V3ProduceRecords.outgoing(JSON, record))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(code));
  }
}
