package dev.cumulus.queue.queues.application;

import dev.cumulus.platform.schedule.PeriodicWork;
import dev.cumulus.queue.config.QueueProperties;
import dev.cumulus.queue.queues.persistence.QueueRepository;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Per-queue gauges on /actuator/prometheus, refreshed from one query every metrics interval: {@code
 * cumulus_queue_messages{state=visible|in_flight|delayed}} and {@code
 * cumulus_queue_oldest_message_age_seconds}, tagged {@code service_id} and {@code queue}.
 */
@Component
public class QueueMetrics extends PeriodicWork {

  private final QueueRepository queues;
  private final Duration interval;
  private final MultiGauge messages;
  private final MultiGauge oldestAge;

  public QueueMetrics(QueueRepository queues, MeterRegistry registry, QueueProperties properties) {
    super("Refreshing queue metrics");
    this.queues = queues;
    this.interval = properties.metricsInterval();
    this.messages =
        MultiGauge.builder("cumulus.queue.messages")
            .description("Messages in a queue by state")
            .register(registry);
    this.oldestAge =
        MultiGauge.builder("cumulus.queue.oldest.message.age")
            .description("Age of the oldest message in a queue")
            .baseUnit("seconds")
            .register(registry);
  }

  @Override
  protected Duration interval() {
    return interval;
  }

  /** The gauges are there from the start rather than one interval later. */
  @Override
  protected Duration firstRunDelay() {
    return Duration.ZERO;
  }

  @Override
  protected Mono<Void> runOnce() {
    return refresh();
  }

  /** Reads every queue's counts and replaces the gauges' rows (gone queues disappear). */
  public Mono<Void> refresh() {
    return queues
        .allStats()
        .collectList()
        .doOnNext(
            all -> {
              Instant now = Instant.now();
              List<MultiGauge.Row<?>> counts = new ArrayList<>();
              List<MultiGauge.Row<?>> ages = new ArrayList<>();
              for (QueueRepository.NamedStats queue : all) {
                Tags tags = Tags.of("service_id", queue.serviceId(), "queue", queue.name());
                counts.add(
                    MultiGauge.Row.of(tags.and("state", "visible"), queue.stats().visible()));
                counts.add(
                    MultiGauge.Row.of(tags.and("state", "in_flight"), queue.stats().inFlight()));
                counts.add(
                    MultiGauge.Row.of(tags.and("state", "delayed"), queue.stats().delayed()));
                Instant oldest = queue.stats().oldestSentAt();
                double age = oldest == null ? 0 : Duration.between(oldest, now).toMillis() / 1000.0;
                ages.add(MultiGauge.Row.of(tags, Math.max(0, age)));
              }
              messages.register(counts, true);
              oldestAge.register(ages, true);
            })
        .then();
  }
}
