package dev.cumulus.database.nosql.application;

import dev.cumulus.database.nosql.domain.ItemKey;
import dev.cumulus.database.nosql.domain.TableSchema;
import dev.cumulus.database.nosql.persistence.ItemRepository;
import dev.cumulus.database.nosql.persistence.TableRepository;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Fills the entries of GSIs that UpdateTable added to a table with items: page by page, each item
 * under its key lock and re-read, so a concurrent write of the item is never undone; then marks the
 * table's CREATING indexes ACTIVE. Writes maintain a CREATING index's entries from the moment the
 * index is in the definition; the backfill starts {@link #SETTLE} later, when no write that read
 * the older definition is still running. Idempotent: a restart resumes it from the start ({@link
 * #resume}).
 */
@Component
public class IndexBackfill {

  static final Duration SETTLE = Duration.ofSeconds(1);
  private static final int PAGE = 200;
  private static final Logger log = LoggerFactory.getLogger(IndexBackfill.class);

  private final TableRepository tables;
  private final ItemRepository items;
  private final TransactionalOperator tx;
  private final Set<String> running = ConcurrentHashMap.newKeySet();

  public IndexBackfill(TableRepository tables, ItemRepository items, TransactionalOperator tx) {
    this.tables = tables;
    this.items = items;
    this.tx = tx;
  }

  /** Starts the table's backfill in the background unless this node runs it already. */
  public void start(String service, String table) {
    String id = service + "/" + table;
    if (!running.add(id)) {
      return;
    }
    Mono.delay(SETTLE)
        .then(backfill(service, table))
        .doFinally(signal -> running.remove(id))
        .subscribe(
            null,
            error -> log.warn("Backfill of {} failed; it resumes on the next tick", id, error));
  }

  /** Starts the backfills of every table with a CREATING index (after a restart, say). */
  public Mono<Void> resume() {
    return tables.backfilling().doOnNext(t -> start(t[0], t[1])).then();
  }

  /** Backfills the table's CREATING indexes and marks them ACTIVE. */
  Mono<Void> backfill(String service, String table) {
    return tables
        .find(service, table)
        .flatMap(
            schema -> page(service, schema, null).then(activate(service, table, creating(schema))));
  }

  private static List<String> creating(TableSchema schema) {
    return schema.globalIndexes().stream()
        .filter(index -> !index.active())
        .map(TableSchema.Index::name)
        .toList();
  }

  /** The items after {@code after} (null: from the first), then the pages after them. */
  private Mono<Void> page(String service, TableSchema schema, ItemKey after) {
    return items
        .itemsAfter(
            service,
            schema.name(),
            after == null ? null : after.hash().text(),
            after == null ? null : after.range().text(),
            PAGE)
        .map(item -> ItemKey.ofItem(schema, item))
        .collectList()
        .flatMap(
            keys ->
                Flux.fromIterable(keys)
                    .concatMap(key -> reindex(service, schema.name(), key))
                    .then(
                        keys.size() < PAGE
                            ? Mono.<Void>empty()
                            : page(service, schema, keys.get(keys.size() - 1))));
  }

  /** The item's entries in every index of the current definition, under the item's lock. */
  private Mono<Void> reindex(String service, String table, ItemKey key) {
    return tables
        .find(service, table)
        .flatMap(
            schema ->
                items
                    .lock(service, table, key)
                    .then(items.find(service, table, key, Long.MIN_VALUE))
                    .flatMap(
                        item ->
                            items.indexEntries(
                                service, table, key, ItemWriter.indexEntries(schema, item))))
        .as(tx::transactional);
  }

  /** Marks the named indexes ACTIVE (those still in the definition; one may have been deleted). */
  private Mono<Void> activate(String service, String table, List<String> names) {
    return tables
        .lock(service, table)
        .then(tables.find(service, table))
        .flatMap(
            schema -> {
              List<TableSchema.Index> indexes =
                  schema.globalIndexes().stream()
                      .map(
                          index ->
                              names.contains(index.name())
                                  ? index.withStatus(TableSchema.Index.ACTIVE)
                                  : index)
                      .toList();
              log.info("Backfilled {} of {}/{} at {}", names, service, table, Instant.now());
              return tables.updateDefinition(
                  service, schema.withGlobalIndexes(indexes, schema.attributes()));
            })
        .as(tx::transactional);
  }
}
