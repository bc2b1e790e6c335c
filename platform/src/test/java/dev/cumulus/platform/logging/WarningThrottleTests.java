package dev.cumulus.platform.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class WarningThrottleTests {

  @Test
  void theFirstWarningIsDueAndTheNextOnlyAfterTheInterval() throws InterruptedException {
    WarningThrottle throttle = new WarningThrottle(Duration.ofMillis(200));
    assertThat(throttle.due()).isTrue();
    assertThat(throttle.due()).isFalse();
    Thread.sleep(250);
    assertThat(throttle.due()).isTrue();
    assertThat(throttle.due()).isFalse();
  }

  @Test
  void manyThreadsAskingAtOnceLetOneWarningThrough() {
    WarningThrottle throttle = new WarningThrottle(Duration.ofMinutes(1));
    AtomicInteger due = new AtomicInteger();
    IntStream.range(0, 10_000)
        .parallel()
        .forEach(
            i -> {
              if (throttle.due()) {
                due.incrementAndGet();
              }
            });
    assertThat(due).hasValue(1);
  }
}
