package dev.cumulus.integration.webhook.application;

import dev.cumulus.integration.webhook.config.WebhookProperties;
import dev.cumulus.integration.webhook.domain.ClaimedDelivery;
import dev.cumulus.integration.webhook.persistence.DeliveryRepository;
import dev.cumulus.platform.crypto.SecretSealer;
import dev.cumulus.platform.schedule.PeriodicWork;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Sends due deliveries: woken by new deliveries and freed slots, and polling as a fallback (retries
 * coming due, other nodes' work, leases of a crashed node running out). Up to {@code max-in-flight}
 * attempts run at once; each is claimed in the database first, so any number of nodes share the
 * work without sending one delivery twice at the same time.
 */
@Component
class WebhookDispatcher extends PeriodicWork {

  private static final Logger log = LoggerFactory.getLogger(WebhookDispatcher.class);

  private final DeliveryRepository deliveries;
  private final WebhookSender sender;
  private final DeliveryOutcomes outcomes;
  private final SecretSealer sealer;
  private final DispatchSignal signal;
  private final WebhookProperties properties;
  private final AtomicInteger inFlight = new AtomicInteger();

  WebhookDispatcher(
      DeliveryRepository deliveries,
      WebhookSender sender,
      DeliveryOutcomes outcomes,
      SecretSealer sealer,
      DispatchSignal signal,
      WebhookProperties properties) {
    super("Claiming webhook deliveries");
    this.deliveries = deliveries;
    this.sender = sender;
    this.outcomes = outcomes;
    this.sealer = sealer;
    this.signal = signal;
    this.properties = properties;
  }

  @Override
  protected Duration interval() {
    return properties.pollInterval();
  }

  @Override
  protected Flux<?> wakeups() {
    return signal.wakeups();
  }

  /** Claims as many due deliveries as there are free slots, and starts each. */
  @Override
  protected Mono<Void> runOnce() {
    int free = properties.maxInFlight() - inFlight.get();
    if (free <= 0) {
      return Mono.empty();
    }
    return deliveries
        .claim(free, properties.perEndpointInFlight(), properties.lease())
        .doOnNext(this::start)
        .count()
        .flatMap(claimed -> claimed == free ? Mono.fromRunnable(signal::wake) : Mono.empty());
  }

  private void start(ClaimedDelivery d) {
    inFlight.incrementAndGet();
    Mono.defer(() -> sender.send(d.url(), d.headers(), d.messageId(), d.payload(), secrets(d)))
        .flatMap(outcome -> outcomes.record(d, outcome))
        .doOnError(e -> log.warn("Delivery {} of {} not recorded", d.id(), d.messageId(), e))
        .onErrorComplete()
        .doFinally(
            signalType -> {
              inFlight.decrementAndGet();
              signal.wake();
            })
        .subscribe();
  }

  private List<String> secrets(ClaimedDelivery d) {
    String rowId = d.endpointId().toString();
    List<String> secrets = new ArrayList<>(2);
    secrets.add(sealer.open(d.secret(), rowId));
    if (d.previousSecret() != null
        && d.previousExpiresAt() != null
        && d.previousExpiresAt().isAfter(Instant.now())) {
      secrets.add(sealer.open(d.previousSecret(), rowId));
    }
    return secrets;
  }
}
