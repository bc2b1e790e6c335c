package dev.cumulus.database.nosql.application;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.cumulus.database.nosql.config.NoSqlProperties;
import dev.cumulus.database.nosql.domain.DynamoException;
import dev.cumulus.database.nosql.domain.TableRules;
import dev.cumulus.database.nosql.domain.TableSchema;
import dev.cumulus.database.nosql.persistence.ItemRepository;
import dev.cumulus.database.nosql.persistence.StreamRepository;
import dev.cumulus.database.nosql.persistence.TableRepository;
import dev.cumulus.database.nosql.persistence.TableRepository.Versioned;
import dev.cumulus.database.nosql.persistence.TagRepository;
import dev.cumulus.platform.instance.Instance;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;

/** Tables of an instance: create (with tags), describe, list, update, delete, TTL. */
@Service
public class TableService {

  private final TableRepository tables;
  private final ItemRepository items;
  private final TagRepository tags;
  private final StreamRepository streams;
  private final IndexBackfill backfill;
  private final TransactionalOperator tx;

  /**
   * Definitions as this replica last read them, for item reads and writes: a read may use one up to
   * {@code schema-cache-ttl} old (another replica's UpdateTable or DeleteTable reaches it that
   * late, as DynamoDB's own table changes take effect asynchronously); a write checks the version
   * in its transaction and plans again with the current definition ({@link ItemWriter}).
   */
  private final Cache<String, Versioned> recent;

  public TableService(
      TableRepository tables,
      ItemRepository items,
      TagRepository tags,
      StreamRepository streams,
      IndexBackfill backfill,
      TransactionalOperator tx,
      NoSqlProperties properties) {
    this.tables = tables;
    this.items = items;
    this.tags = tags;
    this.streams = streams;
    this.backfill = backfill;
    this.tx = tx;
    this.recent =
        Caffeine.newBuilder()
            .expireAfterWrite(properties.schemaCacheTtl())
            .maximumSize(10_000)
            .build();
  }

  /** A table with its current item count and size. */
  public record TableDetails(TableSchema schema, long itemCount, long sizeBytes) {}

  /** One page of table names and where the next starts (null: last page). */
  public record TableNames(List<String> names, String lastEvaluated) {}

  public Mono<TableDetails> create(Instance instance, TableSchema table) {
    return create(instance, table, Map.of());
  }

  /** Creates the table with its tags (CreateTable's Tags), in one transaction. */
  public Mono<TableDetails> create(
      Instance instance, TableSchema table, Map<String, String> tagged) {
    TableRules.validate(table);
    return tables
        .insert(instance.serviceId(), instance.tenantId(), table)
        .flatMap(
            inserted ->
                inserted
                    ? tags.put(instance.serviceId(), table.name(), tagged)
                        .then(
                            table.streamEnabled()
                                ? streams.create(instance.serviceId(), table)
                                : Mono.empty())
                        .thenReturn(new TableDetails(table, 0, 0))
                    : Mono.error(DynamoException.tableExists(table.name())))
        .as(tx::transactional);
  }

  /** The table's current definition, read from the database. */
  public Mono<TableSchema> schema(Instance instance, String name) {
    return versioned(instance, name).map(Versioned::schema);
  }

  /** The definition this replica read at most {@code schema-cache-ttl} ago, for item reads. */
  public Mono<TableSchema> recentSchema(Instance instance, String name) {
    return recent(instance, name).map(Versioned::schema);
  }

  /** As {@link #recentSchema}, with its version, for writes that check it in their transaction. */
  public Mono<Versioned> recent(Instance instance, String name) {
    Versioned known = recent.getIfPresent(cacheKey(instance, name));
    return known != null ? Mono.just(known) : versioned(instance, name);
  }

  /** Forgets this replica's copy of a definition that a write found outdated. */
  public void forget(Instance instance, String name) {
    recent.invalidate(cacheKey(instance, name));
  }

  private Mono<Versioned> versioned(Instance instance, String name) {
    return tables
        .findVersioned(instance.serviceId(), name)
        .doOnNext(current -> recent.put(cacheKey(instance, name), current))
        .switchIfEmpty(
            Mono.error(
                () -> {
                  forget(instance, name);
                  return DynamoException.tableNotFound(name);
                }));
  }

  private static String cacheKey(Instance instance, String name) {
    return instance.serviceId() + "/" + name;
  }

  public Mono<TableDetails> describe(Instance instance, String name) {
    return schema(instance, name)
        .flatMap(
            schema ->
                items
                    .stats(instance.serviceId(), name, Instant.now().getEpochSecond())
                    .map(stats -> new TableDetails(schema, stats[0], stats[1])));
  }

  public Mono<TableNames> list(Instance instance, String start, int limit) {
    if (limit < 1 || limit > 100) {
      throw DynamoException.validation(
          "1 validation error detected: Value '"
              + limit
              + "' at 'limit' failed to satisfy constraint: Member must have value less than or"
              + " equal to 100");
    }
    return tables
        .names(instance.serviceId(), start, limit + 1)
        .collectList()
        .map(
            names ->
                names.size() > limit
                    ? new TableNames(names.subList(0, limit), names.get(limit - 1))
                    : new TableNames(names, null));
  }

  /**
   * Deletes the table and its items; answers what it was. Its stream is disabled and stays readable
   * for the retention period, as DynamoDB's.
   */
  public Mono<TableDetails> delete(Instance instance, String name) {
    return describe(instance, name)
        .flatMap(
            details ->
                tables
                    .delete(instance.serviceId(), name)
                    .then(
                        details.schema().streamEnabled()
                            ? streams.disable(
                                instance.serviceId(), name, details.schema().streamLabel())
                            : Mono.empty())
                    .thenReturn(details))
        .as(tx::transactional)
        .doOnSuccess(deleted -> forget(instance, name));
  }

  /**
   * UpdateTable: billing and throughput, one GSI added (CREATING until {@link IndexBackfill} has
   * filled it) or removed (with its entries), GSI throughput. Answers the new definition.
   */
  public Mono<TableDetails> update(Instance instance, String name, TableUpdate update) {
    String service = instance.serviceId();
    return tables
        .lock(service, name)
        .then(schema(instance, name))
        .flatMap(
            schema -> {
              TableSchema updated = TableChanges.apply(schema, update);
              Mono<Long> dropped =
                  update.deleteIndex() == null
                      ? Mono.just(0L)
                      : items.deleteIndex(service, name, update.deleteIndex());
              return tables
                  .updateDefinition(service, updated)
                  .then(dropped)
                  .then(streamChange(service, updated, update))
                  .then(describe(instance, name));
            })
        .as(tx::transactional)
        .doOnSuccess(
            details -> {
              forget(instance, name);
              if (update.createIndex() != null) {
                backfill.start(service, name);
              }
            });
  }

  private Mono<Void> streamChange(String service, TableSchema updated, TableUpdate update) {
    if (update.stream() == null) {
      return Mono.empty();
    }
    return update.stream().enabled()
        ? streams.create(service, updated)
        : streams.disable(service, updated.name(), updated.streamLabel());
  }

  /** Enables TTL on an attribute, or disables it (null); items' expiry follows. */
  public Mono<TableSchema> updateTtl(Instance instance, String name, String attribute) {
    return schema(instance, name)
        .flatMap(
            schema -> {
              TableSchema updated = schema.withTtl(attribute);
              return tables
                  .updateTtl(instance.serviceId(), updated)
                  .then(items.recomputeExpiry(instance.serviceId(), name, attribute))
                  .thenReturn(updated);
            })
        .as(tx::transactional)
        .doOnSuccess(updated -> forget(instance, name));
  }

  public Mono<Void> deleteInstance(Instance instance) {
    return tables
        .deleteInstance(instance.serviceId())
        .then(streams.deleteInstance(instance.serviceId()));
  }
}
