package dev.cumulus.platform.events;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Publishes outbox events with an idempotent producer ({@code acks=all}): records of one key keep
 * their order, and the batch completes only when every record is acknowledged.
 */
public class KafkaEventPublisher implements EventPublisher, AutoCloseable {

  private final Producer<String, byte[]> producer;

  public KafkaEventPublisher(Producer<String, byte[]> producer) {
    this.producer = producer;
  }

  public static KafkaEventPublisher connect(String bootstrapServers, String clientId) {
    Map<String, Object> config =
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrapServers,
            ProducerConfig.CLIENT_ID_CONFIG,
            clientId,
            ProducerConfig.ACKS_CONFIG,
            "all",
            ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
            true,
            ProducerConfig.LINGER_MS_CONFIG,
            5,
            // send() may wait for metadata; bound it so a dead broker fails the batch, not hangs
            // it.
            ProducerConfig.MAX_BLOCK_MS_CONFIG,
            5_000,
            ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG,
            30_000,
            ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG,
            10_000);
    return new KafkaEventPublisher(
        new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer()));
  }

  @Override
  public Mono<Void> publish(List<OutboxEvent> batch) {
    // send() can block on metadata, so it never runs on an event-loop thread.
    return Mono.fromCallable(() -> sendAll(batch))
        .subscribeOn(Schedulers.boundedElastic())
        .flatMap(Mono::fromFuture);
  }

  private CompletableFuture<Void> sendAll(List<OutboxEvent> batch) {
    CompletableFuture<?>[] acks = new CompletableFuture<?>[batch.size()];
    for (int i = 0; i < batch.size(); i++) {
      acks[i] = send(batch.get(i));
    }
    return CompletableFuture.allOf(acks);
  }

  private CompletableFuture<Void> send(OutboxEvent event) {
    ProducerRecord<String, byte[]> record =
        new ProducerRecord<>(
            event.topic(),
            null,
            event.key(),
            event.payload().getBytes(StandardCharsets.UTF_8),
            CloudEventHeaders.of(event));
    CompletableFuture<Void> ack = new CompletableFuture<>();
    producer.send(
        record,
        (metadata, failure) -> {
          if (failure != null) {
            ack.completeExceptionally(failure);
          } else {
            ack.complete(null);
          }
        });
    return ack;
  }

  /**
   * Waits a few seconds for sends in flight, not Kafka's default of forever: with the broker gone,
   * shutdown would hang for the delivery timeout. Nothing is lost by giving up: the outbox marks an
   * event sent only once Kafka has acknowledged it, so unacknowledged ones go out again after the
   * restart.
   */
  @Override
  public void close() {
    producer.close(CLOSE_TIMEOUT);
  }

  private static final java.time.Duration CLOSE_TIMEOUT = java.time.Duration.ofSeconds(5);
}
