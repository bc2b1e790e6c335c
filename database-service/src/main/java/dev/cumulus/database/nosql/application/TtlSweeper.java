package dev.cumulus.database.nosql.application;

import dev.cumulus.database.nosql.config.NoSqlProperties;
import dev.cumulus.database.nosql.domain.ItemKey;
import dev.cumulus.database.nosql.persistence.ItemRepository;
import dev.cumulus.database.nosql.persistence.StreamRepository;
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
 * {@code removed} event and stream record (marked as made by the service), in batches; nodes share
 * the work ({@code SKIP LOCKED}). Also forgets TransactWriteItems' client request tokens past their
 * idempotency window and trims stream records past their retention.
 */
@Component
public class TtlSweeper implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(TtlSweeper.class);

  private final ItemRepository items;
  private final ItemEvents events;
  private final StreamRecords streams;
  private final StreamRepository streamRepository;
  private final TransactionTokenRepository tokens;
  private final IndexBackfill backfill;
  private final TransactionalOperator tx;
  private final NoSqlProperties properties;
  private volatile Disposable running;

  public TtlSweeper(
      ItemRepository items,
      ItemEvents events,
      StreamRecords streams,
      StreamRepository streamRepository,
      TransactionTokenRepository tokens,
      IndexBackfill backfill,
      TransactionalOperator tx,
      NoSqlProperties properties) {
    this.items = items;
    this.events = events;
    this.streams = streams;
    this.streamRepository = streamRepository;
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
            expired -> {
              ItemChange change =
                  new ItemChange(
                      expired.tenant(),
                      expired.service(),
                      expired.table(),
                      expired.rk().isEmpty() ? expired.hk() : expired.hk() + "/" + expired.rk(),
                      ItemKey.attributes(expired.table(), expired.item()),
                      expired.item(),
                      null,
                      true);
              return items.deleteExpired(expired).then(events.changed(change)).thenReturn(change);
            })
        .collectList()
        // Stream records last: their sequence locks are held until the commit.
        .flatMap(changes -> streams.append(changes).thenReturn((long) changes.size()))
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
                        // Stream records past their retention.
                        .then(streamRepository.trim(properties.streamRetention()))
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
