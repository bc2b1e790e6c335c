package dev.cumulus.kafka.topics.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cumulus.platform.error.ApiException;
import java.util.AbstractMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the Kafka producer would throw on only once sending is refused up front, as a 400. */
class OutgoingRecordTests {

  private static final byte[] VALUE = {1};

  @Test
  void aNegativeTimestampOrPartitionIsAnInvalidParameter() {
    assertInvalid(() -> new OutgoingRecord(null, null, VALUE, List.of(), -1L), "timestamp");
    assertInvalid(() -> new OutgoingRecord(-1, null, VALUE, List.of(), null), "partition");
  }

  @Test
  void aHeaderWithoutANameIsAnInvalidParameter() {
    List<Map.Entry<String, byte[]>> headers =
        List.of(new AbstractMap.SimpleImmutableEntry<>(null, VALUE));
    assertInvalid(() -> new OutgoingRecord(null, null, VALUE, headers, null), "header");
  }

  @Test
  void aPlainRecordIsAccepted() {
    List<Map.Entry<String, byte[]>> headers =
        List.of(new AbstractMap.SimpleImmutableEntry<>("h", null));
    assertThat(new OutgoingRecord(0, VALUE, VALUE, headers, 0L).size()).isEqualTo(3);
  }

  private static void assertInvalid(Runnable create, String parameter) {
    assertThatThrownBy(create::run)
        .isInstanceOfSatisfying(
            ApiException.class, e -> assertThat(e.code()).isEqualTo("InvalidParameterValue"))
        .hasMessageContaining(parameter);
  }
}
