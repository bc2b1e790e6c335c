package dev.cumulus.kafka.events.application;

import dev.cumulus.kafka.topics.application.KafkaClients;
import dev.cumulus.kafka.topics.domain.TopicNames;
import dev.cumulus.platform.error.ApiException;
import dev.cumulus.platform.events.CloudEventHeaders;
import dev.cumulus.platform.events.ReceivedEvent;
import java.nio.charset.StandardCharsets;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Delivers platform events to their tenants' topics as the same CloudEvents (binary mode, same
 * {@code id}, key = subject). It runs inside the inbox transaction that records a poll's event ids,
 * and that transaction commits only after the broker acknowledged every record: an event is
 * delivered once per id, unless the node dies between the acknowledgements and the commit (then
 * twice, same id).
 */
@Component
public class TenantEventForwarder {

  private static final Logger log = LoggerFactory.getLogger(TenantEventForwarder.class);

  private final Producer<byte[], byte[]> producer;
  private final TenantEventTopics topics;

  public TenantEventForwarder(KafkaClients clients, TenantEventTopics topics) {
    this.producer = clients.producer();
    this.topics = topics;
  }

  /**
   * Forwards a poll's events: every record is handed to the producer in the events' order (so each
   * tenant's topic keeps the order per key), then all acknowledgements are awaited together, so a
   * busy consumer waits for one round trip per poll, not one per event.
   */
  public Mono<Void> forwardAll(List<ReceivedEvent> events) {
    List<ReceivedEvent> tenants =
        events.stream().filter(TenantEventForwarder::forwardable).toList();
    if (tenants.isEmpty()) {
      return Mono.empty();
    }
    return Flux.fromIterable(tenants)
        .map(ReceivedEvent::tenantId)
        .distinct()
        .concatMap(tenant -> topics.ensure(tenant).map(topic -> Map.entry(tenant, topic)))
        .collectMap(Map.Entry::getKey, Map.Entry::getValue)
        .flatMap(
            topicOf ->
                // send() may block while the producer fetches a new topic's metadata
                Mono.fromCallable(() -> sendAll(tenants, topicOf))
                    .subscribeOn(Schedulers.boundedElastic()))
        .flatMap(Mono::fromFuture);
  }

  /** Whether the event has a tenant whose topic can carry it (else it is not forwarded). */
  private static boolean forwardable(ReceivedEvent event) {
    if (event.tenantId() == null || event.tenantId().isBlank()) {
      return false; // a platform event of no tenant
    }
    try {
      TopicNames.eventTopic(event.tenantId());
      return true;
    } catch (ApiException notATenantId) {
      log.warn("Event {} names a tenant id Kafka topics cannot carry; not forwarded", event.id());
      return false;
    }
  }

  private CompletableFuture<Void> sendAll(List<ReceivedEvent> events, Map<String, String> topicOf) {
    CompletableFuture<?>[] acks =
        events.stream()
            .map(event -> send(topicOf.get(event.tenantId()), event))
            .toArray(CompletableFuture[]::new);
    return CompletableFuture.allOf(acks);
  }

  private CompletableFuture<Void> send(String topic, ReceivedEvent event) {
    CompletableFuture<Void> ack = new CompletableFuture<>();
    producer.send(
        new ProducerRecord<>(
            topic,
            null,
            event.subject() == null ? null : event.subject().getBytes(StandardCharsets.UTF_8),
            event.data().getBytes(StandardCharsets.UTF_8),
            headers(event)),
        (metadata, failure) -> {
          if (failure != null) {
            ack.completeExceptionally(failure);
          } else {
            ack.complete(null);
          }
        });
    return ack;
  }

  static List<Header> headers(ReceivedEvent event) {
    List<Header> headers = new ArrayList<>(9);
    add(headers, CloudEventHeaders.SPEC_VERSION, "1.0");
    add(headers, CloudEventHeaders.ID, event.id());
    add(headers, CloudEventHeaders.SOURCE, event.source());
    add(headers, CloudEventHeaders.TYPE, event.type());
    add(
        headers,
        CloudEventHeaders.TIME,
        event.time() == null ? null : event.time().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
    add(headers, CloudEventHeaders.SUBJECT, event.subject());
    add(headers, CloudEventHeaders.CONTENT_TYPE, "application/json");
    add(headers, CloudEventHeaders.TENANT_ID, event.tenantId());
    add(headers, CloudEventHeaders.REQUEST_ID, event.requestId());
    return headers;
  }

  private static void add(List<Header> headers, String name, String value) {
    if (value != null) {
      headers.add(new RecordHeader(name, value.getBytes(StandardCharsets.UTF_8)));
    }
  }
}
