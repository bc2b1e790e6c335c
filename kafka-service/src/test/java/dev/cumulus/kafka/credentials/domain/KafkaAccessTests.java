package dev.cumulus.kafka.credentials.domain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Only names the API gives are looked up (a NUL reaching PostgreSQL was a 500). */
class KafkaAccessTests {

  @Test
  void onlyNamesTheApiGivesAreUsernames() {
    String issued = KafkaAccess.newUsername(new byte[10]);
    assertThat(issued).isEqualTo("kafka-00000000000000000000");
    assertThat(KafkaAccess.isUsername(issued)).isTrue();
    assertThat(KafkaAccess.isUsername("kafka-0000000000000000000\u0000")).isFalse();
    assertThat(KafkaAccess.isUsername("kafka-")).isFalse();
    assertThat(KafkaAccess.isUsername("admin")).isFalse();
    assertThat(KafkaAccess.isUsername(null)).isFalse();
  }
}
