package dev.cumulus.integration.webhook.application;

import dev.cumulus.integration.common.EventNames;
import dev.cumulus.integration.webhook.domain.EventFilter;
import dev.cumulus.integration.webhook.domain.WebhookEndpoint;
import dev.cumulus.integration.webhook.persistence.DeliveryRepository;
import dev.cumulus.integration.webhook.persistence.DeliveryRepository.NewMessage;
import dev.cumulus.integration.webhook.persistence.EndpointRepository;
import dev.cumulus.platform.events.ReceivedEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionSynchronization;
import org.springframework.transaction.reactive.TransactionSynchronizationManager;
import reactor.core.publisher.Mono;

/**
 * Turns platform events into webhook deliveries: per event one message (its id, the {@code
 * webhook-id}, is derived from the event id, so a redelivered event is the same message) and one
 * pending delivery per enabled endpoint of the event's tenant whose filters match. A whole batch of
 * events costs two statements (the endpoints of its tenants, then every message and delivery) in
 * the consumer's inbox transaction; the dispatcher is woken once it commits.
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

  /** How many deliveries the events made. */
  public Mono<Integer> handle(List<ReceivedEvent> events) {
    List<ReceivedEvent> named =
        events.stream()
            .filter(e -> e.tenantId() != null && EventNames.of(e.type()).isPresent())
            .toList();
    if (named.isEmpty()) {
      return Mono.just(0);
    }
    List<String> tenants = named.stream().map(ReceivedEvent::tenantId).distinct().toList();
    return endpoints
        .enabled(tenants)
        .collect(Collectors.groupingBy(WebhookEndpoint::tenantId))
        .flatMap(byTenant -> store(messages(named, byTenant)));
  }

  /** The messages of the events that match at least one endpoint of their tenant. */
  private List<NewMessage> messages(
      List<ReceivedEvent> events, Map<String, List<WebhookEndpoint>> byTenant) {
    List<NewMessage> messages = new ArrayList<>();
    for (ReceivedEvent event : events) {
      String name = EventNames.of(event.type()).orElseThrow();
      List<UUID> to =
          byTenant.getOrDefault(event.tenantId(), List.of()).stream()
              .filter(endpoint -> EventFilter.matches(endpoint.eventTypes(), name))
              .map(WebhookEndpoint::id)
              .toList();
      if (!to.isEmpty()) {
        messages.add(
            new NewMessage(
                "msg_" + event.id().replace("-", ""),
                event.tenantId(),
                event.id(),
                name,
                payloads.of(name, event),
                to));
      }
    }
    return messages;
  }

  private Mono<Integer> store(List<NewMessage> messages) {
    if (messages.isEmpty()) {
      return Mono.just(0);
    }
    int count = messages.stream().map(NewMessage::endpointIds).mapToInt(List::size).sum();
    return deliveries
        .insertMessagesAndDeliveries(messages)
        .then(wakeAfterCommit())
        .thenReturn(count);
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
