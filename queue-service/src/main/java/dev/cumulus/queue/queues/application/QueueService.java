package dev.cumulus.queue.queues.application;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.cumulus.platform.events.Outbox;
import dev.cumulus.queue.config.QueueProperties;
import dev.cumulus.queue.queues.domain.Queue;
import dev.cumulus.queue.queues.domain.QueueArns;
import dev.cumulus.queue.queues.domain.QueueAttributes;
import dev.cumulus.queue.queues.domain.QueueErrors;
import dev.cumulus.queue.queues.domain.QueueNames;
import dev.cumulus.queue.queues.domain.QueueSettings;
import dev.cumulus.queue.queues.domain.QueueStats;
import dev.cumulus.queue.queues.domain.QueueTags;
import dev.cumulus.queue.queues.persistence.MessageRepository;
import dev.cumulus.queue.queues.persistence.QueueRepository;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;

/** Queues of queue instances: create, find, list, configure, tag, purge, delete. */
@Service
public class QueueService {

  /** Kafka topic of queue-service's events. */
  public static final String TOPIC = "cumulus.queue";

  private final QueueRepository queues;
  private final MessageRepository messages;
  private final TransactionalOperator tx;
  private final Outbox outbox;
  private final String region;

  /**
   * Queue rows by (serviceId, name) for the message operations, which read their queue on every
   * call. Invalidated by this replica's own changes; another replica's are seen after the TTL (SQS
   * itself takes up to 60 s to propagate attribute changes and deletions).
   */
  private final Cache<QueueKey, Queue> cache;

  private record QueueKey(String serviceId, String name) {}

  public QueueService(
      QueueRepository queues,
      MessageRepository messages,
      TransactionalOperator tx,
      Outbox outbox,
      QueueProperties properties) {
    this.queues = queues;
    this.messages = messages;
    this.tx = tx;
    this.outbox = outbox;
    this.region = properties.sqs().region();
    this.cache =
        Caffeine.newBuilder()
            .expireAfterWrite(properties.queueCacheTtl())
            .maximumSize(10_000)
            .build();
  }

  /** A queue and whether this call created it (false: it existed with the same settings). */
  public record Created(Queue queue, boolean created) {}

  /**
   * Creates a queue, or returns the existing one of that name when its settings are the same (as
   * SQS's CreateQueue does); {@code QueueNameExists} when they differ.
   */
  public Mono<Created> create(
      String tenantId,
      String serviceId,
      String name,
      QueueSettings settings,
      Map<String, String> tags) {
    QueueNames.check(name, settings.fifo());
    QueueTags.check(tags);
    Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
    Queue queue = new Queue(UUID.randomUUID(), serviceId, tenantId, name, settings, tags, now, now);
    return checkDeadLetterTarget(serviceId, name, settings)
        .then(
            queues
                .insert(queue)
                .flatMap(
                    inserted ->
                        inserted
                            ? event(queue, "created").thenReturn(new Created(queue, true))
                            : require(serviceId, name).map(existing -> same(existing, settings)))
                .as(tx::transactional));
  }

  private static Created same(Queue existing, QueueSettings settings) {
    if (!existing.settings().equals(settings)) {
      throw QueueErrors.queueNameExists(existing.name());
    }
    return new Created(existing, false);
  }

  /** The queue, or {@code QueueDoesNotExist}. */
  public Mono<Queue> require(String serviceId, String name) {
    return queues
        .find(serviceId, name)
        .switchIfEmpty(Mono.error(() -> QueueErrors.queueDoesNotExist(name)));
  }

  /**
   * The queue, or {@code QueueDoesNotExist}, from this replica's cache when it is fresh enough: for
   * the message operations, not for changing the queue.
   */
  public Mono<Queue> cached(String serviceId, String name) {
    QueueKey key = new QueueKey(serviceId, name);
    Queue queue = cache.getIfPresent(key);
    return queue != null
        ? Mono.just(queue)
        : require(serviceId, name).doOnNext(found -> cache.put(key, found));
  }

  private void forget(Queue queue) {
    cache.invalidate(new QueueKey(queue.serviceId(), queue.name()));
  }

  /**
   * Up to {@code limit} queues by name after {@code after}, with names starting with prefix. A
   * prefix no queue name can start with finds none; an {@code after} that is no queue name is
   * refused (it is the NextToken a previous page gave).
   */
  public Mono<List<Queue>> list(String serviceId, String prefix, String after, int limit) {
    if (after != null && !QueueNames.possible(after)) {
      return Mono.error(QueueErrors.invalidParameter("Invalid NextToken: " + after));
    }
    if (!QueueNames.possiblePrefix(prefix)) {
      return Mono.just(List.of());
    }
    return queues.list(serviceId, prefix, after, limit).collectList();
  }

  public Mono<QueueStats> stats(Queue queue) {
    return queues.stats(queue.id());
  }

  /** GetQueueAttributes: the named attributes (or {@code All}) with current counts. */
  public Mono<Map<String, String>> attributes(Queue queue, Collection<String> names) {
    return stats(queue).map(stats -> QueueAttributes.read(queue, stats, region, names));
  }

  public String arn(Queue queue) {
    return QueueArns.of(region, queue.serviceId(), queue.name());
  }

  /** SetQueueAttributes. */
  public Mono<Queue> configure(Queue queue, Map<String, String> attributes) {
    QueueSettings settings = QueueAttributes.apply(queue.settings(), attributes, queue.serviceId());
    return checkDeadLetterTarget(queue.serviceId(), queue.name(), settings)
        .then(queues.updateSettings(queue.id(), settings))
        .then(require(queue.serviceId(), queue.name()))
        .doFinally(signal -> forget(queue));
  }

  public Mono<Void> tag(Queue queue, Map<String, String> tags) {
    Map<String, String> merged = new LinkedHashMap<>(queue.tags());
    merged.putAll(tags);
    QueueTags.check(merged);
    return queues.updateTags(queue.id(), merged).doFinally(signal -> forget(queue));
  }

  public Mono<Void> untag(Queue queue, Collection<String> keys) {
    Map<String, String> remaining = new LinkedHashMap<>(queue.tags());
    keys.forEach(remaining::remove);
    return queues.updateTags(queue.id(), remaining).doFinally(signal -> forget(queue));
  }

  /** Deletes every message; {@code PurgeQueueInProgress} within 60 s of the last purge. */
  public Mono<Void> purge(Queue queue) {
    return queues
        .markPurged(queue.id())
        .flatMap(
            allowed ->
                allowed
                    ? messages.purge(queue.id()).then()
                    : Mono.error(QueueErrors.purgeInProgress(queue.name())))
        .as(tx::transactional);
  }

  /** Deletes the queue with its messages. */
  public Mono<Void> delete(Queue queue) {
    return queues
        .delete(queue.id())
        .flatMap(rows -> rows == 1 ? event(queue, "deleted") : Mono.empty())
        .as(tx::transactional)
        .doFinally(signal -> forget(queue));
  }

  /** Deletes every queue of an instance that is being deleted. */
  public Mono<Void> deleteAll(String serviceId) {
    return queues
        .deleteAll(serviceId)
        .doFinally(signal -> cache.asMap().keySet().removeIf(k -> k.serviceId().equals(serviceId)))
        .then();
  }

  private Mono<Void> checkDeadLetterTarget(String serviceId, String name, QueueSettings settings) {
    if (!settings.redrives()) {
      return Mono.empty();
    }
    if (settings.deadLetterQueue().equals(name)) {
      return Mono.error(
          QueueErrors.invalidParameter("A queue cannot be its own dead-letter queue."));
    }
    return queues
        .find(serviceId, settings.deadLetterQueue())
        .switchIfEmpty(
            Mono.error(
                () ->
                    QueueErrors.invalidParameter(
                        "Value for parameter RedrivePolicy is invalid. Reason: Dead letter target"
                            + " does not exist: "
                            + settings.deadLetterQueue())))
        .flatMap(
            target ->
                target.fifo() == settings.fifo()
                    ? Mono.<Void>empty()
                    : Mono.error(
                        QueueErrors.invalidParameter(
                            "Value for parameter RedrivePolicy is invalid. Reason: Dead-letter"
                                + " queue must be the same type of queue as the source.")));
  }

  private Mono<Void> event(Queue queue, String verb) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("serviceId", queue.serviceId());
    data.put("queueName", queue.name());
    data.put("queueType", queue.fifo() ? "FIFO" : "Standard");
    data.put("queueArn", arn(queue));
    return outbox
        .appendForTenant(
            queue.tenantId(), TOPIC, queue.serviceId() + "/" + queue.name(), "queue", verb, data)
        .then();
  }
}
