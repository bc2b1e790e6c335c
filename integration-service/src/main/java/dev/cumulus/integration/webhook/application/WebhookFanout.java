package dev.cumulus.integration.webhook.application;

import dev.cumulus.integration.common.EventNames;
import dev.cumulus.integration.webhook.domain.EventFilter;
import dev.cumulus.integration.webhook.domain.WebhookEndpoint;
import dev.cumulus.integration.webhook.persistence.DeliveryRepository;
import dev.cumulus.integration.webhook.persistence.EndpointRepository;
import dev.cumulus.platform.events.ReceivedEvent;
import java.util.List;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionSynchronization;
import org.springframework.transaction.reactive.TransactionSynchronizationManager;
import reactor.core.publisher.Mono;

/**
 * Turns a platform event into webhook deliveries: one message (its id, the {@code webhook-id}, is
 * derived from the event id, so a redelivered event is the same message) and one pending delivery
 * per enabled endpoint of the tenant whose filters match. Runs in the consumer's inbox transaction;
 * the dispatcher is woken once it commits.
 */
@Service
public class WebhookFanout {

  private final EndpointRepository endpoints;
  private final DeliveryRepository deliveries;
  private final WebhookPayloads payloads;
  private final DispatchSignal signal;

  public WebhookFanout(
      EndpointRepository endpoints,
      DeliveryRepository deliveries,
      WebhookPayloads payloads,
      DispatchSignal signal) {
    this.endpoints = endpoints;
    this.deliveries = deliveries;
    this.payloads = payloads;
    this.signal = signal;
  }

  /** How many deliveries the event made. */
  public Mono<Integer> handle(ReceivedEvent event) {
    String name = EventNames.of(event.type()).orElse(null);
    if (name == null || event.tenantId() == null) {
      return Mono.just(0);
    }
    return endpoints
        .enabled(event.tenantId())
        .filter(endpoint -> EventFilter.matches(endpoint.eventTypes(), name))
        .collectList()
        .flatMap(matching -> matching.isEmpty() ? Mono.just(0) : store(event, name, matching));
  }

  private Mono<Integer> store(ReceivedEvent event, String name, List<WebhookEndpoint> to) {
    String messageId = "msg_" + event.id().replace("-", "");
    return deliveries
        .insertMessageAndDeliveries(
            messageId,
            event.tenantId(),
            event.id(),
            name,
            payloads.of(name, event),
            to.stream().map(WebhookEndpoint::id).toList())
        .then(wakeAfterCommit())
        .thenReturn(to.size());
  }

  private Mono<Void> wakeAfterCommit() {
    return TransactionSynchronizationManager.forCurrentTransaction()
        .doOnNext(
            tx ->
                tx.registerSynchronization(
                    new TransactionSynchronization() {
                      @Override
                      public Mono<Void> afterCommit() {
                        return Mono.fromRunnable(signal::wake);
                      }
                    }))
        .onErrorResume(e -> Mono.fromRunnable(signal::wake).then(Mono.empty()))
        .then();
  }
}
