package dev.cumulus.database.nosql.application;

import dev.cumulus.database.nosql.domain.AttributeValues;
import dev.cumulus.database.nosql.domain.DynamoException;
import dev.cumulus.database.nosql.domain.ItemKey;
import dev.cumulus.database.nosql.domain.TableSchema;
import dev.cumulus.database.nosql.domain.expression.Ast;
import dev.cumulus.database.nosql.domain.expression.Conditions;
import dev.cumulus.database.nosql.domain.expression.Updates;
import dev.cumulus.database.nosql.persistence.ItemRepository;
import dev.cumulus.database.nosql.persistence.ItemRepository.ItemPut;
import dev.cumulus.database.nosql.persistence.ItemRepository.TableKey;
import dev.cumulus.database.nosql.persistence.TableRepository.Versioned;
import dev.cumulus.database.nosql.persistence.TransactionTokenRepository;
import dev.cumulus.platform.error.ErrorKind;
import dev.cumulus.platform.instance.Instance;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Writes items: one at a time (PutItem, UpdateItem, DeleteItem, BatchWriteItem's requests) or all
 * or nothing (TransactWriteItems). Every write runs in a transaction that locks its keys (in one
 * order, so transactions do not deadlock), reads the current items, checks every condition, then
 * writes items, index entries and change events; it is durable once acknowledged.
 */
@Service
public class ItemWriter {

  public static final int MAX_TRANSACTION_ITEMS = 100;

  /** How long a ClientRequestToken makes TransactWriteItems idempotent, as DynamoDB's. */
  public static final Duration TOKEN_WINDOW = Duration.ofMinutes(10);

  private final TableService tables;
  private final ItemRepository items;
  private final ItemEvents events;
  private final StreamRecords streams;
  private final TransactionTokenRepository tokens;
  private final TransactionalOperator tx;

  public ItemWriter(
      TableService tables,
      ItemRepository items,
      ItemEvents events,
      StreamRecords streams,
      TransactionTokenRepository tokens,
      TransactionalOperator tx) {
    this.tables = tables;
    this.items = items;
    this.events = events;
    this.streams = streams;
    this.tokens = tokens;
    this.tx = tx;
  }

  /**
   * A TransactWriteItems' ClientRequestToken and the hash of the rest of its request: a second
   * request with the token within {@link #TOKEN_WINDOW} changes nothing and succeeds when its hash
   * is the same, and fails with IdempotentParameterMismatchException when it is not.
   */
  public record ClientToken(String value, String requestHash) {}

  /** One write; a failed condition is a ConditionalCheckFailedException. */
  public Mono<WriteResult> write(Instance instance, WriteOp op) {
    return apply(instance, List.of(op), Mode.SINGLE, null).map(results -> results.get(0));
  }

  /**
   * BatchWriteItem's puts and deletes (no conditions), in one transaction: DynamoDB makes no
   * promise across a batch's items, and one commit for all of them is many times faster than one
   * each. Two requests for one item are a ValidationException, as DynamoDB's.
   */
  public Mono<List<WriteResult>> batch(Instance instance, List<WriteOp> ops) {
    return apply(instance, ops, Mode.BATCH, null);
  }

  /** Which request the writes come from: what a duplicate key is called, whether it is atomic. */
  private enum Mode {
    SINGLE("Transaction request cannot include multiple operations on one item"),
    BATCH("Provided list of item keys contains duplicates"),
    TRANSACTION("Transaction request cannot include multiple operations on one item");

    private final String duplicateMessage;

    Mode(String duplicateMessage) {
      this.duplicateMessage = duplicateMessage;
    }
  }

  /** TransactWriteItems: every write or none; failed conditions cancel with per-item reasons. */
  public Mono<List<WriteResult>> transact(Instance instance, List<WriteOp> ops) {
    return transact(instance, ops, null);
  }

  /** As {@link #transact(Instance, List)}, idempotent for a client token (null: none). */
  public Mono<List<WriteResult>> transact(Instance instance, List<WriteOp> ops, ClientToken token) {
    if (ops.isEmpty() || ops.size() > MAX_TRANSACTION_ITEMS) {
      return Mono.error(
          DynamoException.validation(
              "1 validation error detected: Value at 'transactItems' failed to satisfy constraint:"
                  + " Member must have length less than or equal to "
                  + MAX_TRANSACTION_ITEMS
                  + " and greater than or equal to 1"));
    }
    return apply(instance, ops, Mode.TRANSACTION, token);
  }

  private record Planned(WriteOp op, TableSchema table, ItemKey key) {}

  /** How many times a write plans again after finding a table definition it used outdated. */
  private static final int ATTEMPTS = 3;

  /** A definition changed after the write planned with it: forget it and plan again. */
  private static final class OutdatedDefinition extends RuntimeException {
    OutdatedDefinition() {
      super(null, null, false, false);
    }
  }

  private Mono<List<WriteResult>> apply(
      Instance instance, List<WriteOp> ops, Mode mode, ClientToken token) {
    return apply(instance, ops, mode, token, 1);
  }

  private Mono<List<WriteResult>> apply(
      Instance instance, List<WriteOp> ops, Mode mode, ClientToken token, int attempt) {
    return schemas(instance, ops)
        .flatMap(
            schemas -> {
              List<Planned> plan = new ArrayList<>();
              Set<String> seen = new HashSet<>();
              for (WriteOp op : ops) {
                TableSchema table = schemas.get(op.table()).schema();
                ItemKey key =
                    op instanceof WriteOp.Put put
                        ? ItemKey.ofItem(table, normalizeItem(put.item()))
                        : ItemKey.ofKey(table, keyOf(op));
                if (!seen.add(identity(table.name(), key))) {
                  throw DynamoException.validation(mode.duplicateMessage);
                }
                plan.add(new Planned(op, table, key));
              }
              Mono<List<WriteResult>> writes =
                  execute(instance, plan, schemas, mode == Mode.TRANSACTION);
              return (token == null ? writes : once(instance.serviceId(), token, writes))
                  .as(tx::transactional);
            })
        .onErrorResume(
            OutdatedDefinition.class,
            outdated -> {
              ops.stream().map(WriteOp::table).distinct().forEach(t -> tables.forget(instance, t));
              return attempt < ATTEMPTS
                  ? apply(instance, ops, mode, token, attempt + 1)
                  : Mono.error(
                      new DynamoException(
                          ErrorKind.BAD_REQUEST,
                          "ResourceInUseException",
                          "The table is being updated; retry the request"));
            });
  }

  /**
   * The writes unless the token was used within its window (then nothing: an empty list); the token
   * is recorded in the writes' transaction, so a cancelled transaction leaves none.
   */
  private Mono<List<WriteResult>> once(
      String service, ClientToken token, Mono<List<WriteResult>> writes) {
    return tokens
        .lock(service, token.value())
        .then(tokens.recent(service, token.value(), TOKEN_WINDOW))
        .flatMap(
            previous -> {
              if (previous.isEmpty()) {
                return writes.flatMap(
                    results ->
                        tokens
                            .record(service, token.value(), token.requestHash())
                            .thenReturn(results));
              }
              if (previous.get().equals(token.requestHash())) {
                return Mono.just(List.<WriteResult>of());
              }
              return Mono.error(
                  new DynamoException(
                      ErrorKind.BAD_REQUEST,
                      "IdempotentParameterMismatchException",
                      "The request uses the same client token as a previous, but non-identical"
                          + " request."));
            });
  }

  private Mono<Map<String, Versioned>> schemas(Instance instance, List<WriteOp> ops) {
    return Flux.fromIterable(ops.stream().map(WriteOp::table).distinct().toList())
        .concatMap(name -> tables.recent(instance, name))
        .collectMap(versioned -> versioned.schema().name());
  }

  private Mono<List<WriteResult>> execute(
      Instance instance, List<Planned> plan, Map<String, Versioned> schemas, boolean transaction) {
    String service = instance.serviceId();
    long now = Instant.now().getEpochSecond();
    List<TableKey> keys = plan.stream().map(p -> new TableKey(p.table().name(), p.key())).toList();
    List<TableKey> lockOrder = new ArrayList<>(keys);
    lockOrder.sort(Comparator.comparing(k -> identity(k.table(), k.key())));
    return items
        .lockAndRead(service, lockOrder, keys, now)
        .flatMap(
            found -> {
              List<JsonNode> before = new ArrayList<>(plan.size());
              for (int i = 0; i < plan.size(); i++) {
                Long version = found.get(i).tableVersion();
                if (version == null
                    || version != schemas.get(plan.get(i).table().name()).version()) {
                  throw new OutdatedDefinition();
                }
                before.add(found.get(i).item());
              }
              check(plan, before, transaction);
              List<WriteResult> results = new ArrayList<>();
              for (int i = 0; i < plan.size(); i++) {
                results.add(
                    new WriteResult(
                        before.get(i), after(plan.get(i), before.get(i)), plan.get(i).table()));
              }
              return store(instance, plan, results).thenReturn(results);
            });
  }

  /**
   * An item's identity across tables: NUL-separated, which no name or key can contain (unlike
   * {@link ItemKey#id()}, where hash "a/b" with range "c" and hash "a" with range "b/c" meet).
   */
  private static String identity(String table, ItemKey key) {
    return table + "\u0000" + key.hash().text() + "\u0000" + key.range().text();
  }

  private static void check(List<Planned> plan, List<JsonNode> before, boolean transaction) {
    List<Map<String, Object>> reasons = new ArrayList<>();
    boolean failed = false;
    for (int i = 0; i < plan.size(); i++) {
      Ast.Condition condition = plan.get(i).op().condition();
      boolean ok = condition == null || Conditions.test(condition, before.get(i));
      failed |= !ok;
      Map<String, Object> reason = new LinkedHashMap<>();
      reason.put("Code", ok ? "None" : "ConditionalCheckFailed");
      if (!ok) {
        reason.put("Message", "The conditional request failed");
        if (before.get(i) != null) {
          reason.put(DynamoException.ITEM, before.get(i));
        }
      }
      reasons.add(reason);
    }
    if (!failed) {
      return;
    }
    if (!transaction) {
      // the item goes with the error; the request decides whether it is returned
      throw DynamoException.conditionFailed(before.get(0));
    }
    throw new DynamoException(
        ErrorKind.CONFLICT,
        "TransactionCanceledException",
        "Transaction cancelled, please refer cancellation reasons for specific reasons "
            + reasons.stream().map(r -> (String) r.get("Code")).toList(),
        reasons);
  }

  /** The item after the write (null: none). */
  private static JsonNode after(Planned planned, JsonNode old) {
    TableSchema table = planned.table();
    return switch (planned.op()) {
      case WriteOp.Put put -> checkSize(normalizeItem(put.item()));
      case WriteOp.Delete delete -> null;
      case WriteOp.Check check -> old;
      case WriteOp.Update update -> {
        ObjectNode base =
            old == null ? ItemKey.attributes(table, normalizeItem(update.key())) : (ObjectNode) old;
        if (update.update() == null) {
          yield base;
        }
        for (Ast.Path path : Updates.paths(update.update())) {
          String top = path.first();
          if (top.equals(table.key().hash()) || top.equals(table.key().range())) {
            throw DynamoException.invalidParameter(
                "Cannot update attribute " + top + ". This attribute is part of the key");
          }
        }
        ObjectNode updated = Updates.apply(update.update(), base);
        for (String attribute : List.copyOf(updated.propertyNames())) {
          AttributeValues.normalize(updated.get(attribute));
        }
        yield checkSize(updated);
      }
    };
  }

  /**
   * Writes the changes of a planned write: items and their events in one statement, then the index
   * entries of tables that have indexes, then stream records (last: their sequence locks are held
   * until the commit).
   */
  private Mono<Void> store(Instance instance, List<Planned> plan, List<WriteResult> results) {
    String service = instance.serviceId();
    List<ItemChange> changes = new ArrayList<>();
    List<ItemPut> puts = new ArrayList<>();
    List<TableKey> deletes = new ArrayList<>();
    List<Planned> indexed = new ArrayList<>();
    List<JsonNode> indexedItems = new ArrayList<>();
    for (int i = 0; i < plan.size(); i++) {
      Planned planned = plan.get(i);
      WriteResult result = results.get(i);
      TableSchema table = planned.table();
      if (planned.op() instanceof WriteOp.Check
          || (result.current() == null && result.old() == null)) {
        continue;
      }
      if (result.current() == null) {
        deletes.add(new TableKey(table.name(), planned.key()));
      } else {
        puts.add(
            new ItemPut(
                table.name(),
                planned.key(),
                result.current(),
                AttributeValues.itemSize(result.current()),
                expiry(table, result.current())));
        if (!table.indexes().isEmpty()) {
          indexed.add(planned);
          indexedItems.add(result.current());
        }
      }
      JsonNode keys =
          ItemKey.attributes(table, result.current() != null ? result.current() : result.old());
      changes.add(
          new ItemChange(
              instance.tenantId(),
              service,
              table,
              planned.key().id(),
              keys,
              result.old(),
              result.current(),
              false));
    }
    if (changes.isEmpty()) {
      return Mono.empty();
    }
    return Flux.fromIterable(changes)
        .concatMap(events::row)
        .collectList()
        .flatMap(rows -> items.writeAll(service, puts, deletes, rows))
        .then(
            Flux.range(0, indexed.size())
                .concatMap(
                    i -> {
                      Planned planned = indexed.get(i);
                      String table = planned.table().name();
                      return items.indexEntries(
                          service,
                          table,
                          planned.key(),
                          indexEntries(planned.table(), indexedItems.get(i)));
                    })
                .then())
        .then(events.signalRelayOnCommit())
        .then(streams.append(changes));
  }

  /**
   * The item's key in each index of the table (also those being backfilled) that it has the key
   * attributes of.
   */
  static Map<String, ItemKey> indexEntries(TableSchema table, JsonNode item) {
    Map<String, ItemKey> entries = new LinkedHashMap<>();
    for (TableSchema.Index index : table.indexes()) {
      ItemKey entry = ItemKey.ofIndex(table, index, item);
      if (entry != null) {
        entries.put(index.name(), entry);
      }
    }
    return entries;
  }

  /** The TTL attribute's epoch seconds, when TTL is on and the attribute a number. */
  static Long expiry(TableSchema table, JsonNode item) {
    if (table.ttlAttribute() == null) {
      return null;
    }
    JsonNode value = item.get(table.ttlAttribute());
    if (value == null || value.get("N") == null) {
      return null;
    }
    BigDecimal seconds = AttributeValues.numberOf(value);
    return seconds.signum() < 0 || seconds.precision() - seconds.scale() > 12
        ? null
        : seconds.longValue();
  }

  private static JsonNode keyOf(WriteOp op) {
    return switch (op) {
      case WriteOp.Update u -> u.key();
      case WriteOp.Delete d -> d.key();
      case WriteOp.Check c -> c.key();
      case WriteOp.Put p -> p.item();
    };
  }

  static ObjectNode normalizeItem(JsonNode item) {
    if (item == null || !item.isObject()) {
      throw DynamoException.validation(
          "1 validation error detected: Value null at 'item' failed to satisfy constraint: Member must not be null");
    }
    ObjectNode normalized = AttributeValues.NODES.objectNode();
    for (Map.Entry<String, JsonNode> e : item.properties()) {
      if (e.getKey().isEmpty()) {
        throw DynamoException.invalidParameter(
            "An AttributeValue may not contain an empty attribute name");
      }
      normalized.set(AttributeValues.noNul(e.getKey()), AttributeValues.normalize(e.getValue()));
    }
    return normalized;
  }

  private static JsonNode checkSize(JsonNode item) {
    if (AttributeValues.itemSize(item) > AttributeValues.MAX_ITEM_SIZE) {
      throw DynamoException.validation("Item size has exceeded the maximum allowed size");
    }
    return item;
  }
}
