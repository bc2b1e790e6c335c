package dev.cumulus.platform.events;

import dev.cumulus.platform.config.CumulusProperties;
import dev.cumulus.platform.schedule.PeriodicWork;
import io.r2dbc.spi.Readable;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Publishes pending outbox events, oldest first. One batch is one database transaction: take the
 * relay lock, read the batch, publish it and wait for every ack, then mark it published. If the
 * relay dies anywhere in between, the transaction rolls back and the whole batch is published again
 * later: at-least-once, never lost; consumers dedupe on the event id (see {@link Inbox}).
 *
 * <p>It runs when this node's {@link Outbox} signals a commit (see {@link OutboxSignal}) and every
 * {@code pollInterval} for rows nobody signalled. A run that found a single event waits for nothing
 * afterwards: events come slower than the relay turns them around, so the next commit is published
 * at once (its latency is one Kafka round trip, not a window). A run that found several waits
 * {@code batchWindow} before the next, so a busy service publishes batches rather than a
 * transaction per event. Commits during a run are not lost: one wake-up waits for the run's end.
 *
 * <p>The transaction-scoped advisory lock lets any number of replicas run a relay while only one
 * publishes at a time, which keeps each aggregate's events in order. A relay woken while another
 * holds the lock tries again after {@link #LOCK_RETRY}: the holder may have read its batch before
 * this node's rows were committed.
 *
 * <p>The schedule (first run at start, every poll interval and on each wake-up, one run at a time)
 * is {@link PeriodicWork}'s; a run handles its own failure: logged once until the relay recovers,
 * and the next run waits {@code batchWindow}, so a Kafka or database outage is not retried flat
 * out. Published events older than the retention are deleted every ten minutes.
 */
public class OutboxRelay extends PeriodicWork {

  private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);

  /** Advisory lock id shared by every relay of one database ("cumulus outbox"). */
  static final long RELAY_LOCK = 0x63756d756c75L;

  private static final Duration CLEANUP_EVERY = Duration.ofMinutes(10);

  /** How soon a relay that found the lock taken tries again. */
  static final Duration LOCK_RETRY = Duration.ofMillis(20);

  /** {@link #attempt}'s answer when another relay holds the lock. */
  private static final int LOCK_TAKEN = -1;

  private final DatabaseClient db;
  private final TransactionalOperator tx;
  private final EventPublisher publisher;
  private final CumulusProperties.Outbox settings;
  private final OutboxSignal signal;
  private final PeriodicWork cleanup = new Cleanup();
  private volatile boolean failing;

  public OutboxRelay(
      DatabaseClient db,
      TransactionalOperator tx,
      EventPublisher publisher,
      CumulusProperties.Outbox settings,
      OutboxSignal signal) {
    super("Outbox relay");
    this.db = db;
    this.tx = tx;
    this.publisher = publisher;
    this.settings = settings;
    this.signal = signal;
  }

  /** Publishes everything pending now; completes with the number of events published. */
  public Mono<Integer> drain() {
    return drainAfter(relayBatch());
  }

  /** Publishes at most one batch; 0 when nothing is pending or another relay holds the lock. */
  public Mono<Integer> relayBatch() {
    return attempt().map(published -> Math.max(published, 0));
  }

  /** Like {@link #drain}, but while another relay holds the lock it tries again shortly. */
  private Mono<Integer> drainOnceFree() {
    return attempt()
        .flatMap(
            published ->
                published == LOCK_TAKEN
                    ? Mono.delay(LOCK_RETRY).then(Mono.defer(this::drainOnceFree))
                    : drainAfter(Mono.just(published)));
  }

  /** The first batch's count, plus every following batch while batches come back full. */
  private Mono<Integer> drainAfter(Mono<Integer> first) {
    return first
        .expand(published -> published >= settings.batchSize() ? relayBatch() : Mono.empty())
        .reduce(0, Integer::sum);
  }

  /** One batch in one transaction; its size, or {@link #LOCK_TAKEN}. */
  private Mono<Integer> attempt() {
    Mono<Integer> batch =
        db.sql("SELECT pg_try_advisory_xact_lock(:lock)")
            .bind("lock", RELAY_LOCK)
            .map(row -> Boolean.TRUE.equals(row.get(0, Boolean.class)))
            .one()
            .flatMap(locked -> locked ? publishPending() : Mono.just(LOCK_TAKEN));
    return tx.transactional(batch);
  }

  private Mono<Integer> publishPending() {
    return db.sql(
            """
            SELECT seq, event_id, topic, event_key, event_type, source, tenant_id, request_id,
                   payload::text AS payload, occurred_at
            FROM cumulus_outbox WHERE published_at IS NULL ORDER BY seq LIMIT :limit
            """)
        .bind("limit", settings.batchSize())
        .map(OutboxRelay::toEvent)
        .all()
        .collectList()
        .flatMap(
            batch ->
                batch.isEmpty()
                    ? Mono.just(0)
                    : publisher.publish(batch).then(markPublished(batch)).thenReturn(batch.size()));
  }

  private Mono<Long> markPublished(List<OutboxEvent> batch) {
    Long[] seqs = batch.stream().map(OutboxEvent::seq).toArray(Long[]::new);
    return db.sql("UPDATE cumulus_outbox SET published_at = now() WHERE seq = ANY(:seqs)")
        .bind("seqs", seqs)
        .fetch()
        .rowsUpdated();
  }

  private static OutboxEvent toEvent(Readable row) {
    return new OutboxEvent(
        row.get("seq", Long.class),
        row.get("event_id", UUID.class),
        row.get("topic", String.class),
        row.get("event_key", String.class),
        row.get("event_type", String.class),
        row.get("source", String.class),
        row.get("tenant_id", String.class),
        row.get("request_id", String.class),
        row.get("payload", String.class),
        row.get("occurred_at", OffsetDateTime.class));
  }

  /** Deletes published events older than the retention period. */
  public Mono<Long> deleteExpired() {
    return db.sql(
            "DELETE FROM cumulus_outbox WHERE published_at < now() - make_interval(secs => :secs)")
        .bind("secs", (double) settings.retention().toSeconds())
        .fetch()
        .rowsUpdated();
  }

  @Override
  protected Duration interval() {
    return settings.pollInterval();
  }

  /** At once: rows left by a previous run of the service go out without waiting a poll. */
  @Override
  protected Duration firstRunDelay() {
    return Duration.ZERO;
  }

  /**
   * This node's commits. While a run is in progress one more wake-up waits and the rest are dropped
   * (PeriodicWork's schedule): that run will see their rows.
   */
  @Override
  protected Flux<Boolean> wakeups() {
    return signal.commits();
  }

  /** Everything pending, then the batch window after a backlog; a failure backs off instead. */
  @Override
  protected Mono<Integer> runOnce() {
    return drainOnceFree()
        .doOnNext(this::recovered)
        .delayUntil(this::pauseAfter)
        .onErrorResume(this::failed);
  }

  /** The batch window, after a run that found a backlog only (see the class comment). */
  private Mono<Long> pauseAfter(int published) {
    return published > 1 ? Mono.delay(settings.batchWindow()) : Mono.empty();
  }

  private void recovered(int published) {
    if (failing) {
      failing = false;
      log.info("Outbox relay recovered; published {} events", published);
    }
  }

  private Mono<Integer> failed(Throwable e) {
    if (!failing) {
      failing = true;
      log.warn("Outbox relay cannot publish yet, will retry: {}", e.toString());
    }
    return Mono.delay(settings.batchWindow()).thenReturn(0);
  }

  @Override
  public void start() {
    super.start();
    cleanup.start();
  }

  @Override
  public void stop() {
    cleanup.stop();
    super.stop();
  }

  /** Deletes expired events every {@link #CLEANUP_EVERY}; a failure waits for the next time. */
  private final class Cleanup extends PeriodicWork {

    Cleanup() {
      super("Outbox cleanup");
    }

    @Override
    protected Duration interval() {
      return CLEANUP_EVERY;
    }

    @Override
    protected Mono<Long> runOnce() {
      // Quietly: a database outage is reported by the relay already.
      return deleteExpired().onErrorResume(e -> Mono.empty());
    }
  }
}
