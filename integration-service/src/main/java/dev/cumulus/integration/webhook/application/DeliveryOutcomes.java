package dev.cumulus.integration.webhook.application;

import dev.cumulus.integration.common.IntegrationEvents;
import dev.cumulus.integration.webhook.config.WebhookProperties;
import dev.cumulus.integration.webhook.domain.ClaimedDelivery;
import dev.cumulus.integration.webhook.domain.RetrySchedule;
import dev.cumulus.integration.webhook.domain.WebhookEndpoint;
import dev.cumulus.integration.webhook.persistence.DeliveryRepository;
import dev.cumulus.integration.webhook.persistence.DeliveryRepository.AttemptRecord;
import dev.cumulus.integration.webhook.persistence.EndpointRepository;
import dev.cumulus.platform.events.Outbox;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;

/**
 * Records an attempt and decides what follows, in one transaction: success ends the delivery and
 * the endpoint's failure run (successes are written in batches, see {@link SuccessRecorder}); 410
 * disables the endpoint; another failure schedules the next attempt (or fails the delivery when the
 * schedule is exhausted), and an endpoint failing without a success for longer than {@code
 * disable-after} is disabled. A disabled endpoint emits {@code webhook-endpoint.disabled}, from
 * which a notification follows.
 */
@Component
class DeliveryOutcomes {

  private final DeliveryRepository deliveries;
  private final EndpointRepository endpoints;
  private final Outbox outbox;
  private final TransactionalOperator tx;
  private final WebhookProperties properties;
  private final RetrySchedule schedule;
  private final SuccessRecorder successes;

  DeliveryOutcomes(
      DeliveryRepository deliveries,
      SuccessRecorder successes,
      EndpointRepository endpoints,
      Outbox outbox,
      TransactionalOperator tx,
      WebhookProperties properties) {
    this.deliveries = deliveries;
    this.successes = successes;
    this.endpoints = endpoints;
    this.outbox = outbox;
    this.tx = tx;
    this.properties = properties;
    this.schedule = new RetrySchedule(properties.retryDelays(), properties.jitter());
  }

  Mono<Void> record(ClaimedDelivery d, AttemptOutcome outcome) {
    AttemptRecord attempt =
        new AttemptRecord(
            outcome.statusCode(), outcome.latencyMs(), outcome.excerpt(), outcome.error());
    if (outcome.succeeded()) {
      return successes.record(d, outcome);
    }
    Mono<Void> next;
    if (outcome.gone()) {
      next = deliveries.finish(d.id(), "failed").then(disable(d, "The endpoint answered 410 Gone"));
    } else {
      next = retryOrFail(d, outcome).then(disableIfFailingTooLong(d));
    }
    return tx.transactional(deliveries.recordAttempt(d, attempt).then(next));
  }

  private Mono<Void> retryOrFail(ClaimedDelivery d, AttemptOutcome outcome) {
    Optional<Duration> wait =
        schedule.after(d.attempt(), outcome.retryAfter(), properties.maxRetryAfter());
    return wait.map(w -> deliveries.retryAt(d.id(), Instant.now().plus(w)))
        .orElseGet(() -> deliveries.finish(d.id(), "failed"));
  }

  private Mono<Void> disableIfFailingTooLong(ClaimedDelivery d) {
    return endpoints
        .failed(d.endpointId())
        .filter(since -> since.plus(properties.disableAfter()).isBefore(Instant.now()))
        .flatMap(
            since ->
                disable(
                    d,
                    "Every delivery failed since "
                        + since
                        + " (for longer than "
                        + properties.disableAfter()
                        + ")"));
  }

  private Mono<Void> disable(ClaimedDelivery d, String reason) {
    return endpoints.disable(d.endpointId(), reason).flatMap(e -> disabledEvent(e, reason)).then();
  }

  private Mono<Void> disabledEvent(WebhookEndpoint endpoint, String reason) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("endpointId", endpoint.id().toString());
    data.put("url", endpoint.url());
    data.put("reason", reason);
    return outbox
        .appendForTenant(
            endpoint.tenantId(),
            IntegrationEvents.TOPIC,
            endpoint.id().toString(),
            "webhook-endpoint",
            "disabled",
            data)
        .then();
  }
}
