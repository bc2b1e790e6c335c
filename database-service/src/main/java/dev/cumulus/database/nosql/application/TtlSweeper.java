package dev.cumulus.database.nosql.application;

import dev.cumulus.database.nosql.config.NoSqlProperties;
import dev.cumulus.database.nosql.persistence.ItemRepository;
import dev.cumulus.database.nosql.persistence.TransactionTokenRepository;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Deletes items whose TTL attribute has passed (reads hide them from that second on), each with its
 * {@code removed} event, in batches; nodes share the work ({@code SKIP LOCKED}). Also forgets
 * TransactWriteItems' client request tokens past their idempotency window.
 */
@Component
public class TtlSweeper implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(TtlSweeper.class);

  private final ItemRepository items;
  private final ItemEvents events;
  private final TransactionTokenRepository tokens;
  private final IndexBackfill backfill;
  private final TransactionalOperator tx;
  private final NoSqlProperties properties;
  private volatile Disposable running;

  public TtlSweeper(
      ItemRepository items,
      ItemEvents events,
      TransactionTokenRepository tokens,
      IndexBackfill backfill,
      TransactionalOperator tx,
      NoSqlProperties properties) {
    this.items = items;
    this.events = events;
    this.tokens = tokens;
    this.backfill = backfill;
    this.tx = tx;
    this.properties = properties;
  }

  /** One batch; the number of items deleted. */
  public Mono<Long> sweep() {
    long now = Instant.now().getEpochSecond();
    return items
        .expired(now, properties.ttlSweepBatch())
        .concatMap(
            expired ->
                items
                    .deleteExpired(expired)
                    .then(
                        events.changed(
                            expired.tenant(),
                            expired.service(),
                            expired.table(),
                            expired.rk().isEmpty()
                                ? expired.hk()
                                : expired.hk() + "/" + expired.rk(),
                            null,
                            expired.item(),
                            null))
                    .thenReturn(1L))
        .count()
        .as(tx::transactional);
  }

  @Override
  public void start() {
    running =
        Flux.interval(properties.ttlSweepInterval())
            .onBackpressureDrop()
            .concatMap(
                tick ->
                    sweep()
                        // Spent ClientRequestTokens go with the same tick.
                        .then(tokens.expire(ItemWriter.TOKEN_WINDOW))
                        // GSI backfills a restart interrupted start again.
                        .then(backfill.resume())
                        .onErrorResume(
                            e -> {
                              log.warn("TTL sweep failed", e);
                              return Mono.empty();
                            }))
            .subscribe();
  }

  @Override
  public void stop() {
    Disposable current = running;
    if (current != null) {
      current.dispose();
    }
    running = null;
  }

  @Override
  public boolean isRunning() {
    return running != null;
  }
}
