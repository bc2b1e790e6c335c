package dev.cumulus.updater.update.config;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class UpdatePropertiesTests {

  @Test
  void anUpdateMustBeGivenUpBeforeItsLeaseEnds() {
    // Another instance would take over an update this one still runs.
    assertThatThrownBy(
            () ->
                new UpdateProperties(
                    true,
                    Duration.ofSeconds(5),
                    4,
                    Duration.ofMinutes(10),
                    Duration.ofSeconds(3),
                    "",
                    Duration.ofMinutes(10),
                    Duration.ofMinutes(5)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("run-timeout");
  }
}
