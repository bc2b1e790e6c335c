package dev.cumulus.integration.webhook.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class RetryScheduleTests {

  final RetrySchedule schedule =
      new RetrySchedule(
          List.of(Duration.ofSeconds(5), Duration.ofMinutes(5), Duration.ofMinutes(30)), 0.2);

  @Test
  void followsTheDelaysWithinTheJitter() {
    for (int i = 0; i < 100; i++) {
      assertThat(schedule.after(1, null, Duration.ofDays(1)).orElseThrow())
          .isBetween(Duration.ofSeconds(4), Duration.ofSeconds(6));
      assertThat(schedule.after(3, null, Duration.ofDays(1)).orElseThrow())
          .isBetween(Duration.ofMinutes(24), Duration.ofMinutes(36));
    }
  }

  @Test
  void endsAfterTheLastDelay() {
    assertThat(schedule.after(4, null, Duration.ofDays(1))).isEmpty();
  }

  @Test
  void retryAfterWinsButIsCapped() {
    assertThat(schedule.after(1, Duration.ofSeconds(90), Duration.ofDays(1)))
        .contains(Duration.ofSeconds(90));
    assertThat(schedule.after(1, Duration.ofDays(3), Duration.ofDays(1)))
        .contains(Duration.ofDays(1));
    assertThat(schedule.after(4, Duration.ofSeconds(1), Duration.ofDays(1))).isEmpty();
  }
}
