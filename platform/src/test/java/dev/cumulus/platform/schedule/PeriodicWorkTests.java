package dev.cumulus.platform.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.scheduler.VirtualTimeScheduler;

class PeriodicWorkTests {

  VirtualTimeScheduler time;
  final Sinks.Many<Boolean> wakeups = Sinks.many().multicast().directBestEffort();
  final AtomicInteger runs = new AtomicInteger();
  Duration runTakes = Duration.ZERO;
  boolean fails;

  /** Runs every 10 s, woken by {@link #wakeups}; a run takes {@link #runTakes}. */
  final PeriodicWork work =
      new PeriodicWork("test work") {
        @Override
        protected Duration interval() {
          return Duration.ofSeconds(10);
        }

        @Override
        protected Duration firstRunDelay() {
          return Duration.ZERO;
        }

        @Override
        protected reactor.core.publisher.Flux<?> wakeups() {
          return wakeups.asFlux();
        }

        @Override
        protected Mono<?> runOnce() {
          runs.incrementAndGet();
          Mono<Long> run = Mono.delay(runTakes);
          return fails ? run.then(Mono.error(new IllegalStateException("boom"))) : run;
        }
      };

  @BeforeEach
  void virtualTime() {
    time = VirtualTimeScheduler.getOrSet();
  }

  @AfterEach
  void stop() {
    work.stop();
    VirtualTimeScheduler.reset();
  }

  @Test
  void runsAtItsFirstDelayThenEveryInterval() {
    work.start();
    time.advanceTime();
    assertThat(runs).hasValue(1);
    time.advanceTimeBy(Duration.ofSeconds(25));
    assertThat(runs).hasValue(3);
    assertThat(work.isRunning()).isTrue();
  }

  @Test
  void aWakeupRunsAtOnce() {
    work.start();
    time.advanceTime();
    wakeups.tryEmitNext(true);
    time.advanceTime();
    assertThat(runs).hasValue(2);
  }

  @Test
  void signalsDuringARunStartOneMoreRunAfterIt() {
    runTakes = Duration.ofSeconds(3);
    work.start();
    time.advanceTime(); // the first run starts, and takes 3 s
    for (int i = 0; i < 5; i++) {
      wakeups.tryEmitNext(true);
    }
    time.advanceTimeBy(Duration.ofSeconds(3)); // the first ends, one more starts
    time.advanceTimeBy(Duration.ofSeconds(3)); // and ends: the other four were dropped
    assertThat(runs).hasValue(2);
  }

  @Test
  void aFailedRunDoesNotStopTheWork() {
    fails = true;
    work.start();
    time.advanceTime();
    time.advanceTimeBy(Duration.ofSeconds(10));
    assertThat(runs).hasValue(2);
  }

  @Test
  void stoppedWorkRunsNoMore() {
    work.start();
    time.advanceTime();
    work.stop();
    time.advanceTimeBy(Duration.ofSeconds(30));
    wakeups.tryEmitNext(true);
    assertThat(runs).hasValue(1);
    assertThat(work.isRunning()).isFalse();
  }
}
