package dev.cumulus.function.sources.messaging;

import dev.cumulus.function.sources.domain.EventSource;
import dev.cumulus.function.sources.domain.EventSourceMapping;
import dev.cumulus.function.sources.persistence.EventSourceMappingRepository;
import dev.cumulus.function.sources.persistence.EventSourceMappingRepository.NewRecord;
import dev.cumulus.platform.schedule.PeriodicWork;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads the topics of Kafka event source mappings: one consumer per enabled mapping on each
 * replica, in the mapping's own consumer group ({@code function-service.esm.<uuid>}), so replicas
 * share the partitions and a record is taken by one of them. The consumer reads only {@code
 * tenant.<tenantId>.i.<serviceId>.<topic>}, the mapping's tenant's own topic on the platform
 * broker. Records are stored (deduplicated by topic, partition and offset) before their offsets are
 * committed, so a restart neither loses one nor runs one twice; a stored record waits there for
 * {@code SourceBatchWorker}. A mapping with many records waiting pauses its consumer.
 */
@Component
public class KafkaSources extends PeriodicWork {

  private static final Logger log = LoggerFactory.getLogger(KafkaSources.class);

  /** A mapping with this many records waiting is not read further until they ran. */
  private static final long MAX_PENDING = 10_000;

  private static final Duration RECONCILE = Duration.ofSeconds(2);

  private final EventSourceMappingRepository mappings;
  private final ObjectMapper json;
  private final String bootstrapServers;
  private final Map<UUID, Runner> running = new ConcurrentHashMap<>();

  public KafkaSources(
      EventSourceMappingRepository mappings,
      ObjectMapper json,
      @Value("${cumulus.kafka.bootstrap-servers:127.0.0.1:9092}") String bootstrapServers) {
    super("Kafka event source reconcile");
    this.mappings = mappings;
    this.json = json;
    this.bootstrapServers = bootstrapServers;
  }

  /** The platform broker's name of a tenant instance's topic (kafka-service's naming). */
  static String topic(EventSourceMapping m) {
    return "tenant." + m.tenantId() + ".i." + m.source().serviceId() + "." + m.source().name();
  }

  @Override
  protected Duration interval() {
    return RECONCILE;
  }

  /** At once: the mappings that were enabled before a restart resume without waiting. */
  @Override
  protected Duration firstRunDelay() {
    return Duration.ZERO;
  }

  @Override
  protected Mono<Void> runOnce() {
    return reconcile();
  }

  /** Starts consumers of new enabled mappings, stops those of disabled or deleted ones. */
  Mono<Void> reconcile() {
    return mappings
        .enabled(EventSource.Type.KAFKA)
        .collectMap(EventSourceMapping::uuid)
        .doOnNext(this::consumeOnly)
        .then();
  }

  /**
   * Keeps consumers for the wanted mappings only; after {@link #stop()} starts none (a reconcile
   * may still be finishing when it stops).
   */
  private synchronized void consumeOnly(Map<UUID, EventSourceMapping> wanted) {
    running.forEach(
        (uuid, runner) -> {
          if (!wanted.containsKey(uuid)) {
            runner.stop();
            running.remove(uuid);
          }
        });
    if (isRunning()) {
      wanted.forEach((uuid, m) -> running.computeIfAbsent(uuid, id -> start(m)));
    }
  }

  private Runner start(EventSourceMapping m) {
    Runner runner = new Runner(m);
    Thread.ofVirtual().name("esm-kafka-" + m.uuid()).start(runner);
    return runner;
  }

  /** One mapping's consumer loop, on a thread of its own (the Kafka consumer blocks). */
  private final class Runner implements Runnable {

    private final EventSourceMapping mapping;
    private final AtomicBoolean stopped = new AtomicBoolean();
    private volatile KafkaConsumer<byte[], byte[]> consumer;

    Runner(EventSourceMapping mapping) {
      this.mapping = mapping;
    }

    @Override
    public void run() {
      Properties p = new Properties();
      p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
      p.put(ConsumerConfig.GROUP_ID_CONFIG, "function-service.esm." + mapping.uuid());
      p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
      p.put(
          ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
          "LATEST".equals(mapping.startingPosition()) ? "latest" : "earliest");
      p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Math.min(mapping.batchSize(), 500) * 2);
      p.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, 5000);
      try (KafkaConsumer<byte[], byte[]> c =
          new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
        consumer = c;
        if (stopped.get()) {
          return;
        }
        c.subscribe(List.of(topic(mapping)));
        // Waiting records grow only when a poll stores some, and storing them counts them all
        // (every replica's): a consumer asks apart from that only when it starts and while
        // paused (to learn when to resume), not before every poll.
        boolean full = true;
        while (!stopped.get()) {
          if (full) {
            full = pending() >= MAX_PENDING;
            if (full) {
              c.pause(c.assignment()); // partitions assigned since the pause too
            } else {
              c.resume(c.paused());
            }
          }
          ConsumerRecords<byte[], byte[]> records = c.poll(Duration.ofMillis(500));
          if (records.isEmpty()) {
            continue;
          }
          List<NewRecord> stored = new ArrayList<>();
          for (ConsumerRecord<byte[], byte[]> r : records) {
            stored.add(record(r));
          }
          Long waiting =
              mappings
                  .addRecordsCountingPending(mapping.uuid(), stored)
                  .block(Duration.ofSeconds(30));
          c.commitSync();
          if (waiting != null && waiting >= MAX_PENDING) {
            full = true;
            c.pause(c.assignment());
          }
        }
      } catch (WakeupException e) {
        // stopped
      } catch (RuntimeException e) {
        if (!stopped.get()) {
          log.warn("Kafka source of mapping {} stopped: {}", mapping.uuid(), e.toString());
          running.remove(mapping.uuid(), this);
        }
      }
    }

    private long pending() {
      Long n = mappings.pending(mapping.uuid()).block(Duration.ofSeconds(30));
      return n == null ? 0 : n;
    }

    /** A record in Lambda's Kafka event shape (key, value and header values base64). */
    private NewRecord record(ConsumerRecord<byte[], byte[]> r) {
      ObjectNode node = json.createObjectNode();
      node.put("topic", mapping.source().name());
      node.put("partition", r.partition());
      node.put("offset", r.offset());
      node.put("timestamp", r.timestamp());
      node.put("timestampType", r.timestampType().name);
      if (r.key() != null) {
        node.put("key", Base64.getEncoder().encodeToString(r.key()));
      }
      node.put("value", r.value() == null ? null : Base64.getEncoder().encodeToString(r.value()));
      ArrayNode headers = node.putArray("headers");
      for (Header h : r.headers()) {
        ArrayNode bytes = json.createArrayNode();
        if (h.value() != null) {
          for (byte b : h.value()) {
            bytes.add(b);
          }
        }
        headers.addObject().set(h.key(), bytes);
      }
      String id = r.partition() + ":" + r.offset();
      return new NewRecord(r.topic() + "/" + id, id, json.writeValueAsString(node));
    }

    void stop() {
      stopped.set(true);
      KafkaConsumer<byte[], byte[]> c = consumer;
      if (c != null) {
        c.wakeup();
      }
    }
  }

  /** Stops reconciling, then the consumers it started (a later start begins afresh). */
  @Override
  public synchronized void stop() {
    super.stop();
    running.values().forEach(Runner::stop);
    running.clear();
  }
}
