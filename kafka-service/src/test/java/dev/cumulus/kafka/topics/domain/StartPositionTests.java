package dev.cumulus.kafka.topics.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cumulus.platform.error.ApiException;
import org.junit.jupiter.api.Test;

class StartPositionTests {

  @Test
  void aTimeBefore1970IsAnInvalidParameterNotAConsumerFailure() {
    assertThat(new StartPosition.Timestamp(0).epochMillis()).isZero();
    assertThatThrownBy(() -> new StartPosition.Timestamp(-1))
        .isInstanceOfSatisfying(
            ApiException.class, e -> assertThat(e.code()).isEqualTo("InvalidParameterValue"))
        .hasMessageContaining("timestamp");
  }
}
