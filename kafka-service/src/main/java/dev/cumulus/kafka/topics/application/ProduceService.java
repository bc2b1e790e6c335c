package dev.cumulus.kafka.topics.application;

import dev.cumulus.kafka.config.KafkaServiceProperties;
import dev.cumulus.kafka.topics.domain.KafkaErrors;
import dev.cumulus.kafka.topics.domain.OutgoingRecord;
import dev.cumulus.kafka.topics.domain.ProducedRecord;
import dev.cumulus.kafka.topics.domain.TopicNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Produces records with the shared idempotent producer ({@code acks=all}). {@code send()} may wait
 * for metadata, so it runs on the bounded elastic scheduler; the acknowledgements arrive on the
 * producer's own thread.
 */
@Service
public class ProduceService {

  private final Producer<byte[], byte[]> producer;
  private final TopicService topics;
  private final long maxRecordBytes;

  public ProduceService(
      KafkaClients clients, TopicService topics, KafkaServiceProperties properties) {
    this.producer = clients.producer();
    this.topics = topics;
    this.maxRecordBytes = properties.maxRecordBytes().toBytes();
  }

  /** Produces one record to an existing topic of the instance. */
  public Mono<ProducedRecord> produce(TopicNames names, String topic, OutgoingRecord record) {
    return produceAll(names, topic, List.of(record)).map(produced -> produced.get(0));
  }

  /**
   * Produces records in order to an existing topic of the instance; each result is the record's
   * delivery report, or its failure as an API error. All records are sent before any report is
   * awaited, so a batch travels in few requests.
   */
  public Flux<Mono<ProducedRecord>> reports(
      TopicNames names, String topic, List<OutgoingRecord> records) {
    return sent(names, topic, records)
        .flatMapMany(Flux::fromIterable)
        .map(ack -> Mono.fromFuture(ack).onErrorMap(e -> KafkaFailures.translate(e, topic)));
  }

  /**
   * Produces records and answers their reports in order once all were acknowledged, or the first
   * failure once all were attempted. One signal for the whole batch: a report per record would cost
   * a pass through the reactive pipeline (and its context restore) on the producer's thread.
   */
  public Mono<List<ProducedRecord>> produceAll(
      TopicNames names, String topic, List<OutgoingRecord> records) {
    return sent(names, topic, records)
        .flatMap(
            acks ->
                Mono.fromFuture(
                    CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new))
                        .handle((done, failure) -> acks)))
        .map(
            acks -> {
              List<ProducedRecord> produced = new ArrayList<>(acks.size());
              for (CompletableFuture<ProducedRecord> ack : acks) {
                if (ack.isCompletedExceptionally()) {
                  throw failure(ack, topic);
                }
                produced.add(ack.join());
              }
              return produced;
            });
  }

  private Mono<List<CompletableFuture<ProducedRecord>>> sent(
      TopicNames names, String topic, List<OutgoingRecord> records) {
    for (OutgoingRecord record : records) {
      if (record.size() > maxRecordBytes) {
        return Mono.error(KafkaErrors.recordTooLarge(record.size(), maxRecordBytes));
      }
    }
    String brokerTopic = names.topic(topic);
    return topics
        .requireExists(names, topic)
        .then(validPartitions(names, topic, records))
        .then(
            Mono.fromCallable(() -> sendAll(brokerTopic, topic, records))
                .subscribeOn(Schedulers.boundedElastic()));
  }

  private static RuntimeException failure(CompletableFuture<ProducedRecord> ack, String topic) {
    try {
      ack.join();
      throw new IllegalStateException("not a failed acknowledgement");
    } catch (java.util.concurrent.CompletionException e) {
      Throwable translated = KafkaFailures.translate(e, topic);
      return translated instanceof RuntimeException runtime
          ? runtime
          : new IllegalStateException(translated);
    }
  }

  private Mono<Void> validPartitions(TopicNames names, String topic, List<OutgoingRecord> records) {
    int highest =
        records.stream()
            .map(OutgoingRecord::partition)
            .filter(p -> p != null)
            .mapToInt(Integer::intValue)
            .max()
            .orElse(-1);
    if (highest < 0) {
      return Mono.empty();
    }
    return topics
        .partitionCount(names, topic)
        .flatMap(
            count ->
                highest < count
                    ? Mono.<Void>empty()
                    : Mono.error(KafkaErrors.unknownPartition(topic, highest)));
  }

  private List<CompletableFuture<ProducedRecord>> sendAll(
      String brokerTopic, String topic, List<OutgoingRecord> records) {
    List<CompletableFuture<ProducedRecord>> acks = new ArrayList<>(records.size());
    for (OutgoingRecord record : records) {
      CompletableFuture<ProducedRecord> ack = new CompletableFuture<>();
      try {
        producer.send(
            toProducerRecord(brokerTopic, record),
            (metadata, failure) -> {
              if (failure != null) {
                ack.completeExceptionally(failure);
              } else {
                ack.complete(
                    new ProducedRecord(
                        topic, metadata.partition(), metadata.offset(), metadata.timestamp()));
              }
            });
      } catch (RuntimeException e) {
        ack.completeExceptionally(e);
      }
      acks.add(ack);
    }
    return acks;
  }

  private static ProducerRecord<byte[], byte[]> toProducerRecord(
      String brokerTopic, OutgoingRecord record) {
    List<Header> headers = new ArrayList<>(record.headers().size());
    for (Map.Entry<String, byte[]> header : record.headers()) {
      headers.add(new RecordHeader(header.getKey(), header.getValue()));
    }
    return new ProducerRecord<>(
        brokerTopic, record.partition(), record.timestamp(), record.key(), record.value(), headers);
  }
}
