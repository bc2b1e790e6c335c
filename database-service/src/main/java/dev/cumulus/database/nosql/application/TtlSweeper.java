package dev.cumulus.database.nosql.application;

import dev.cumulus.database.nosql.config.NoSqlProperties;
import dev.cumulus.database.nosql.domain.ItemKey;
import dev.cumulus.database.nosql.persistence.ItemRepository;
import dev.cumulus.database.nosql.persistence.StreamRepository;
import dev.cumulus.database.nosql.persistence.TransactionTokenRepository;
import dev.cumulus.platform.schedule.PeriodicWork;
import java.time.Duration;
import java.time.Instant;
import org.springframework.stereotype.Component;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;

/**
 * Deletes items whose TTL attribute has passed (reads hide them from that second on), each with its
 * {@code removed} event and stream record (marked as made by the service), in batches; nodes share
 * the work ({@code SKIP LOCKED}). Also forgets TransactWriteItems' client request tokens past their
 * idempotency window and trims stream records past their retention.
 */
@Component
public class TtlSweeper extends PeriodicWork {

  private final ItemRepository items;
  private final ItemEvents events;
  private final StreamRecords streams;
  private final StreamRepository streamRepository;
  private final TransactionTokenRepository tokens;
  private final IndexBackfill backfill;
  private final TransactionalOperator tx;
  private final NoSqlProperties properties;

  public TtlSweeper(
      ItemRepository items,
      ItemEvents events,
      StreamRecords streams,
      StreamRepository streamRepository,
      TransactionTokenRepository tokens,
      IndexBackfill backfill,
      TransactionalOperator tx,
      NoSqlProperties properties) {
    super("TTL sweep");
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
  protected Duration interval() {
    return properties.ttlSweepInterval();
  }

  @Override
  protected Mono<?> runOnce() {
    return sweep()
        // Spent ClientRequestTokens go with the same tick.
        .then(tokens.expire(ItemWriter.TOKEN_WINDOW))
        // GSI backfills a restart interrupted start again.
        .then(backfill.resume())
        // Stream records past their retention.
        .then(streamRepository.trim(properties.streamRetention()));
  }
}
