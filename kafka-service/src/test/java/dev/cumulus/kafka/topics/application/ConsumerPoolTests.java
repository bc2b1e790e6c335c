package dev.cumulus.kafka.topics.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** What idle pooled consumers may keep is bounded in bytes, not only in number. */
class ConsumerPoolTests {

  private static final TopicPartition PARTITION = new TopicPartition("t", 0);
  private static final long MB = 1024 * 1024;

  private final List<MockConsumer<byte[], byte[]>> opened = new ArrayList<>();

  private ConsumerPool pool(int maxSize, long budget) {
    return new ConsumerPool(
        group -> {
          MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("earliest");
          opened.add(consumer);
          return consumer;
        },
        maxSize,
        budget,
        MB,
        Duration.ofMinutes(5));
  }

  /** A call that leaves {@code keptBytes} of records fetched past its answer. */
  private static Void keep(ConsumerPool.Pooled pooled, long keptBytes) {
    pooled.assign(List.of(PARTITION));
    pooled.seek(PARTITION, 0);
    ArrayDeque<ConsumerRecord<byte[], byte[]>> kept = new ArrayDeque<>();
    kept.add(new ConsumerRecord<>("t", 0, 0, null, new byte[(int) keptBytes]));
    pooled.leftovers.put(PARTITION, kept);
    return null;
  }

  @Test
  void idleConsumersPastTheByteBudgetAreClosedLeastRecentlyUsedFirst() throws Exception {
    ConsumerPool pool = pool(64, 10 * MB);
    for (int group = 0; group < 8; group++) { // each keeps 2 MB of records + 1 MB buffered
      pool.withConsumer("g" + group, Duration.ofSeconds(1), (p, fresh) -> keep(p, 2 * MB));
    }

    assertThat(pool.retained()).isLessThanOrEqualTo(10 * MB);
    assertThat(pool.size()).isEqualTo(3);
    assertThat(opened.subList(0, 5)).allMatch(MockConsumer::closed);
    assertThat(opened.subList(5, 8)).noneMatch(MockConsumer::closed);
  }

  @Test
  void forgettingAGroupWaitsForItsRunningCallThenClosesItsConsumer() throws Exception {
    ConsumerPool pool = pool(64, 10 * MB);
    assertThat(pool.forget("never-used", Duration.ofMillis(10))).isTrue(); // nothing pooled
    CountDownLatch release = new CountDownLatch(1);
    Thread call = holding(pool, "tail", release, p -> {});

    // While the call runs, a short wait gives up (busy) and closes nothing; so does another call
    assertThat(pool.forget("tail", Duration.ofMillis(50))).isFalse();
    assertThatThrownBy(
            () -> pool.withConsumer("tail", Duration.ofMillis(50), (p, fresh) -> "second"))
        .isInstanceOf(ConsumerPool.GroupBusy.class);
    assertThat(opened.get(0).closed()).isFalse();
    assertThat(pool.size()).isEqualTo(1);

    release.countDown();
    assertThat(pool.forget("tail", Duration.ofSeconds(5))).isTrue();
    call.join(5000);
    assertThat(opened.get(0).closed()).isTrue();
    assertThat(pool.size()).isZero();
  }

  @Test
  void aConsumerInUseIsNeverClosedUnderIt() throws Exception {
    ConsumerPool pool = pool(64, 4 * MB);
    CountDownLatch release = new CountDownLatch(1);
    Thread busy = holding(pool, "busy", release, p -> keep(p, 3 * MB));

    pool.withConsumer("other", Duration.ofSeconds(1), (p, fresh) -> keep(p, 5 * MB));

    assertThat(opened.get(0).closed()).isFalse(); // "busy", still running
    assertThat(opened.get(1).closed()).isTrue(); // "other", over the budget on its own
    release.countDown();
    busy.join();
    assertThat(pool.retained()).isLessThanOrEqualTo(4 * MB);
  }

  @Test
  void closingThePoolWaitsForARunningCallBeforeClosingItsConsumer() throws Exception {
    ConsumerPool pool = pool(64, 10 * MB);
    CountDownLatch release = new CountDownLatch(1);
    Thread call = holding(pool, "busy", release, p -> {});

    Thread closing = Thread.ofPlatform().start(pool::close);
    closing.join(300);
    assertThat(closing.isAlive()).isTrue(); // waiting for the call
    assertThat(opened.get(0).closed()).isFalse();

    release.countDown();
    closing.join(5000);
    call.join(5000);
    assertThat(opened.get(0).closed()).isTrue();
    assertThat(pool.size()).isZero();
  }

  @Test
  void theCountLimitStillApplies() throws Exception {
    ConsumerPool pool = pool(2, Long.MAX_VALUE);
    for (int group = 0; group < 5; group++) {
      pool.withConsumer("g" + group, Duration.ofSeconds(1), (p, fresh) -> keep(p, 1));
    }
    assertThat(pool.size()).isEqualTo(2);
  }

  /** A call of {@code group} that holds its consumer until {@code release}, once it does. */
  private static Thread holding(
      ConsumerPool pool,
      String group,
      CountDownLatch release,
      java.util.function.Consumer<ConsumerPool.Pooled> work)
      throws InterruptedException {
    CountDownLatch inUse = new CountDownLatch(1);
    Thread call =
        Thread.ofPlatform()
            .start(
                () -> {
                  try {
                    pool.withConsumer(
                        group,
                        Duration.ofSeconds(1),
                        (p, fresh) -> {
                          work.accept(p);
                          inUse.countDown();
                          await(release);
                          return null;
                        });
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                });
    assertThat(inUse.await(5, TimeUnit.SECONDS)).isTrue();
    return call;
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
