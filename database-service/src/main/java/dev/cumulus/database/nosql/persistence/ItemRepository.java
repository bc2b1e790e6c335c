package dev.cumulus.database.nosql.persistence;

import dev.cumulus.database.nosql.domain.ItemKey;
import dev.cumulus.database.nosql.domain.KeyCondition;
import dev.cumulus.database.nosql.domain.KeyValue;
import dev.cumulus.database.nosql.domain.TableSchema;
import dev.cumulus.platform.db.JsonColumns;
import dev.cumulus.platform.events.Outbox;
import io.r2dbc.spi.Readable;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.DatabaseClient.GenericExecuteSpec;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Items and their secondary index entries. Reads hide items whose TTL has passed ({@code now} in
 * epoch seconds); a key's writers serialise on a transaction-scoped advisory lock.
 */
@Repository
public class ItemRepository {

  private static final String VISIBLE = "(i.expires_at IS NULL OR i.expires_at > :now)";

  private final DatabaseClient db;
  private final ObjectMapper json;

  public ItemRepository(DatabaseClient db, ObjectMapper json) {
    this.db = db;
    this.json = json;
  }

  /** An item with where it is, for a page's LastEvaluatedKey. */
  public record Row(JsonNode item, ItemKey indexKey) {}

  /** Where a page starts after: the last item's index key (or table key) and table key. */
  public record Cursor(ItemKey indexKey, ItemKey tableKey) {}

  /** Holds the key's lock until the transaction ends (writers of one key wait for each other). */
  public Mono<Void> lock(String service, String table, ItemKey key) {
    return db.sql("SELECT pg_advisory_xact_lock(hashtextextended(:k, 0))")
        .bind("k", lockName(service, table, key))
        .fetch()
        .rowsUpdated()
        .then();
  }

  /** An item's key in a table. */
  public record TableKey(String table, ItemKey key) {}

  /** An item a write is about to change (null: none) and its table's version (null: no table). */
  public record Current(JsonNode item, Long tableVersion) {}

  /**
   * A write's first step, in one round trip: locks the keys of {@code lockOrder} until the
   * transaction ends, in that order, then reads the items of {@code keys} (with the fresh snapshot
   * of a statement that starts after the locks are held) and their tables' current versions.
   * Answers one entry per key, in order.
   */
  public Mono<List<Current>> lockAndRead(
      String service, List<TableKey> lockOrder, List<TableKey> keys, long now) {
    return db.sql(
            "SELECT ord, item, table_version"
                + " FROM nosql_lock_and_read(:service, :locks, :tables, :hks, :rks, :now)")
        .bind("service", service)
        .bind(
            "locks",
            lockOrder.stream()
                .map(k -> lockName(service, k.table(), k.key()))
                .toArray(String[]::new))
        .bind("tables", keys.stream().map(TableKey::table).toArray(String[]::new))
        .bind("hks", keys.stream().map(k -> k.key().hash().text()).toArray(String[]::new))
        .bind("rks", keys.stream().map(k -> k.key().range().text()).toArray(String[]::new))
        .bind("now", now)
        .map(
            row ->
                new Current(
                    row.get("item") == null ? null : item(row),
                    row.get("table_version", Long.class)))
        .all()
        .collectList();
  }

  /** An item to store: its table, key, body, size and TTL expiry (epoch seconds, or null). */
  public record ItemPut(String table, ItemKey key, JsonNode item, int size, Long expiresAt) {}

  /**
   * Stores items, deletes items and inserts their outbox events in one statement: one round trip
   * for a whole write or batch (index entries and stream records are written apart). Values travel
   * as text arrays (null as '') and are cast by the statement; no key may appear twice.
   */
  public Mono<Void> writeAll(
      String service, List<ItemPut> puts, List<TableKey> deletes, List<Outbox.Row> events) {
    return db.sql(WRITE_ALL)
        .bind("service", service)
        .bind("pt", texts(puts, ItemPut::table))
        .bind("phk", texts(puts, p -> p.key().hash().text()))
        .bind("prk", texts(puts, p -> p.key().range().text()))
        .bind("pn", texts(puts, p -> p.key().range().number().toString()))
        .bind("pb", texts(puts, p -> BASE64.encodeToString(p.key().range().binary())))
        .bind("pitem", texts(puts, p -> json.writeValueAsString(p.item())))
        .bind("psize", texts(puts, p -> Integer.toString(p.size())))
        .bind("pexp", texts(puts, p -> p.expiresAt() == null ? "" : p.expiresAt().toString()))
        .bind("dt", texts(deletes, TableKey::table))
        .bind("dhk", texts(deletes, d -> d.key().hash().text()))
        .bind("drk", texts(deletes, d -> d.key().range().text()))
        .bind("eid", texts(events, e -> e.id().toString()))
        .bind("etopic", texts(events, Outbox.Row::topic))
        .bind("ekey", texts(events, Outbox.Row::key))
        .bind("etype", texts(events, Outbox.Row::type))
        .bind("esource", texts(events, Outbox.Row::source))
        .bind("etenant", texts(events, e -> e.tenantId() == null ? "" : e.tenantId()))
        .bind("erequest", texts(events, e -> e.requestId() == null ? "" : e.requestId()))
        .bind("epayload", texts(events, Outbox.Row::payload))
        .fetch()
        .rowsUpdated()
        .then();
  }

  private static final java.util.Base64.Encoder BASE64 = java.util.Base64.getEncoder();

  private static final String WRITE_ALL =
      """
      WITH stored AS (
        INSERT INTO nosql_items
          (service_id, table_name, hk, rk, rk_n, rk_b, item, size, expires_at)
        SELECT :service, p.t, p.hk, p.rk, CAST(p.n AS numeric), decode(p.b, 'base64'),
          CAST(p.item AS jsonb), CAST(p.size AS integer), CAST(NULLIF(p.exp, '') AS bigint)
        FROM unnest(CAST(:pt AS text[]), CAST(:phk AS text[]), CAST(:prk AS text[]),
          CAST(:pn AS text[]), CAST(:pb AS text[]), CAST(:pitem AS text[]),
          CAST(:psize AS text[]), CAST(:pexp AS text[])) AS p(t, hk, rk, n, b, item, size, exp)
        ON CONFLICT (service_id, table_name, hk, rk) DO UPDATE
          SET item = EXCLUDED.item, size = EXCLUDED.size, expires_at = EXCLUDED.expires_at
      ), deleted AS (
        DELETE FROM nosql_items i
        USING unnest(CAST(:dt AS text[]), CAST(:dhk AS text[]), CAST(:drk AS text[])) AS d(t, hk, rk)
        WHERE i.service_id = :service AND i.table_name = d.t AND i.hk = d.hk AND i.rk = d.rk
      )
      INSERT INTO cumulus_outbox
        (event_id, topic, event_key, event_type, source, tenant_id, request_id, payload)
      SELECT CAST(e.id AS uuid), e.topic, e.key, e.type, e.source, NULLIF(e.tenant, ''),
        NULLIF(e.request, ''), CAST(e.payload AS jsonb)
      FROM unnest(CAST(:eid AS text[]), CAST(:etopic AS text[]), CAST(:ekey AS text[]),
        CAST(:etype AS text[]), CAST(:esource AS text[]), CAST(:etenant AS text[]),
        CAST(:erequest AS text[]), CAST(:epayload AS text[]))
        AS e(id, topic, key, type, source, tenant, request, payload)
      """;

  private static <T> String[] texts(List<T> values, java.util.function.Function<T, String> text) {
    return values.stream().map(text).toArray(String[]::new);
  }

  /** Unambiguous: every part but the last is length-prefixed. */
  private static String lockName(String service, String table, ItemKey key) {
    return service
        + "/"
        + table.length()
        + ":"
        + table
        + "/"
        + key.hash().text().length()
        + ":"
        + key.hash().text()
        + "/"
        + key.range().text();
  }

  public Mono<JsonNode> find(String service, String table, ItemKey key, long now) {
    return db.sql(
            "SELECT i.item FROM nosql_items i WHERE i.service_id = :service AND i.table_name = :table"
                + " AND i.hk = :hk AND i.rk = :rk AND "
                + VISIBLE)
        .bind("service", service)
        .bind("table", table)
        .bind("hk", key.hash().text())
        .bind("rk", key.range().text())
        .bind("now", now)
        .map(this::item)
        .one();
  }

  /** Replaces an item's index entries (index name -> its key in that index). */
  public Mono<Void> indexEntries(
      String service, String table, ItemKey item, Map<String, ItemKey> entries) {
    Mono<Void> clear =
        db.sql(
                """
                DELETE FROM nosql_index_entries WHERE service_id = :service AND table_name = :table
                  AND item_hk = :hk AND item_rk = :rk
                """)
            .bind("service", service)
            .bind("table", table)
            .bind("hk", item.hash().text())
            .bind("rk", item.range().text())
            .fetch()
            .rowsUpdated()
            .then();
    return clear.then(
        Flux.fromIterable(entries.entrySet())
            .concatMap(
                e ->
                    db.sql(
                            """
                            INSERT INTO nosql_index_entries (service_id, table_name, index_name,
                              hk, rk, rk_n, rk_b, item_hk, item_rk)
                            VALUES (:service, :table, :index, :hk, :rk, :n, :b, :ihk, :irk)
                            """)
                        .bind("service", service)
                        .bind("table", table)
                        .bind("index", e.getKey())
                        .bind("hk", e.getValue().hash().text())
                        .bind("rk", e.getValue().range().text())
                        .bind("n", e.getValue().range().number())
                        .bind("b", e.getValue().range().binary())
                        .bind("ihk", item.hash().text())
                        .bind("irk", item.range().text())
                        .fetch()
                        .rowsUpdated())
            .then());
  }

  /** Deletes every entry of an index (UpdateTable's Delete of a GSI). */
  public Mono<Long> deleteIndex(String service, String table, String index) {
    return db.sql(
            "DELETE FROM nosql_index_entries WHERE service_id = :service AND table_name = :table"
                + " AND index_name = :index")
        .bind("service", service)
        .bind("table", table)
        .bind("index", index)
        .fetch()
        .rowsUpdated();
  }

  /**
   * A page of the table's items in storage order after (hk, rk) (both null: from the start), for
   * backfills; expired items included, they keep index entries until the sweeper deletes them.
   */
  public Flux<JsonNode> itemsAfter(String service, String table, String hk, String rk, int limit) {
    var spec =
        db.sql(
                """
                SELECT i.item FROM nosql_items i
                WHERE i.service_id = :service AND i.table_name = :table
                  AND (CAST(:hk AS text) IS NULL OR (i.hk, i.rk) > (:hk, :rk))
                ORDER BY i.hk, i.rk LIMIT :limit
                """)
            .bind("service", service)
            .bind("table", table)
            .bind("limit", limit);
    spec = hk == null ? spec.bindNull("hk", String.class) : spec.bind("hk", hk);
    spec = rk == null ? spec.bindNull("rk", String.class) : spec.bind("rk", rk);
    return spec.map(this::item).all();
  }

  /**
   * Items of one hash key in range order, on the table ({@code index} null) or an index.
   *
   * @param start the page's exclusive start, or null
   */
  public Flux<Row> query(
      String service,
      String table,
      String index,
      KeyCondition condition,
      boolean forward,
      Cursor start,
      int limit,
      long now) {
    boolean onIndex = index != null;
    String from =
        onIndex
            ? "nosql_index_entries x JOIN nosql_items i ON i.service_id = x.service_id AND"
                + " i.table_name = x.table_name AND i.hk = x.item_hk AND i.rk = x.item_rk"
            : "nosql_items i";
    String k = onIndex ? "x" : "i";
    StringBuilder where =
        new StringBuilder(
            k
                + ".service_id = :service AND "
                + k
                + ".table_name = :table AND "
                + k
                + ".hk = :hk AND "
                + VISIBLE);
    if (onIndex) {
      where.append(" AND x.index_name = :index");
    }
    String column =
        rangeColumn(k, condition.rangeValues().isEmpty() ? null : condition.rangeValues().get(0));
    if (condition.rangeOperator() != null) {
      switch (condition.rangeOperator()) {
        case "BETWEEN" -> where.append(" AND ").append(column).append(" BETWEEN :r0 AND :r1");
        case "BEGINS_WITH" ->
            where.append(
                condition.rangeValues().get(0).type().equals("B")
                    ? " AND substring(" + column + " from 1 for length(:r0)) = :r0"
                    : " AND starts_with(" + column + ", :r0)");
        default ->
            where
                .append(" AND ")
                .append(column)
                .append(' ')
                .append(condition.rangeOperator())
                .append(" :r0");
      }
    }
    String order =
        k + ".rk_n, " + k + ".rk_b, " + k + ".rk" + (onIndex ? ", x.item_hk, x.item_rk" : "");
    if (start != null) {
      where
          .append(" AND (")
          .append(order)
          .append(forward ? ") > (" : ") < (")
          .append(":sn, :sb, :sr")
          .append(onIndex ? ", :shk, :srk" : "")
          .append(")");
    }
    String direction = forward ? " ASC" : " DESC";
    String sql =
        "SELECT i.item, "
            + k
            + ".hk AS khk, "
            + k
            + ".rk AS krk, "
            + k
            + ".rk_n AS kn, "
            + k
            + ".rk_b AS kb FROM "
            + from
            + " WHERE "
            + where
            + " ORDER BY "
            + String.join(direction + ", ", order.split(", "))
            + direction
            + " LIMIT :limit";
    GenericExecuteSpec spec =
        db.sql(sql)
            .bind("service", service)
            .bind("table", table)
            .bind("hk", condition.hash().text())
            .bind("now", now)
            .bind("limit", limit);
    if (onIndex) {
      spec = spec.bind("index", index);
    }
    List<KeyValue> values = condition.rangeValues();
    for (int i = 0; i < values.size(); i++) {
      spec = spec.bind("r" + i, typed(values.get(i)));
    }
    if (start != null) {
      spec =
          spec.bind("sn", start.indexKey().range().number())
              .bind("sb", start.indexKey().range().binary())
              .bind("sr", start.indexKey().range().text());
      if (onIndex) {
        spec =
            spec.bind("shk", start.tableKey().hash().text())
                .bind("srk", start.tableKey().range().text());
      }
    }
    return spec.map(this::row).all();
  }

  /**
   * A segment of the table's (or an index's) items in storage order.
   *
   * @param start the page's exclusive start (table key; for an index, index key then table key)
   */
  public Flux<Row> scan(
      String service,
      String table,
      String index,
      int segment,
      int totalSegments,
      Cursor start,
      int limit,
      long now) {
    boolean onIndex = index != null;
    String from =
        onIndex
            ? "nosql_index_entries x JOIN nosql_items i ON i.service_id = x.service_id AND"
                + " i.table_name = x.table_name AND i.hk = x.item_hk AND i.rk = x.item_rk"
            : "nosql_items i";
    String k = onIndex ? "x" : "i";
    StringBuilder where =
        new StringBuilder(
            k + ".service_id = :service AND " + k + ".table_name = :table AND " + VISIBLE);
    if (onIndex) {
      where.append(" AND x.index_name = :index");
    }
    if (totalSegments > 1) {
      where.append(" AND mod(hashtext(" + k + ".hk)::bigint + 2147483648, :total) = :segment");
    }
    String order = k + ".hk, " + k + ".rk" + (onIndex ? ", x.item_hk, x.item_rk" : "");
    if (start != null) {
      where
          .append(" AND (")
          .append(order)
          .append(") > (:shk, :srk")
          .append(onIndex ? ", :sihk, :sirk)" : ")");
    }
    String sql =
        "SELECT i.item, "
            + k
            + ".hk AS khk, "
            + k
            + ".rk AS krk, "
            + k
            + ".rk_n AS kn, "
            + k
            + ".rk_b AS kb FROM "
            + from
            + " WHERE "
            + where
            + " ORDER BY "
            + order
            + " LIMIT :limit";
    GenericExecuteSpec spec =
        db.sql(sql)
            .bind("service", service)
            .bind("table", table)
            .bind("now", now)
            .bind("limit", limit);
    if (onIndex) {
      spec = spec.bind("index", index);
    }
    if (totalSegments > 1) {
      spec = spec.bind("total", (long) totalSegments).bind("segment", (long) segment);
    }
    if (start != null) {
      spec =
          spec.bind("shk", start.indexKey().hash().text())
              .bind("srk", start.indexKey().range().text());
      if (onIndex) {
        spec =
            spec.bind("sihk", start.tableKey().hash().text())
                .bind("sirk", start.tableKey().range().text());
      }
    }
    return spec.map(this::row).all();
  }

  /** Items and their total size, for DescribeTable. */
  public Mono<long[]> stats(String service, String table, long now) {
    return db.sql(
            "SELECT count(*) AS n, coalesce(sum(size), 0) AS bytes FROM nosql_items i"
                + " WHERE i.service_id = :service AND i.table_name = :table AND "
                + VISIBLE)
        .bind("service", service)
        .bind("table", table)
        .bind("now", now)
        .map(row -> new long[] {number(row, "n"), number(row, "bytes")})
        .one();
  }

  /** An expired item and its table's definition, for the TTL sweeper. */
  public record Expired(
      String service, TableSchema table, String tenant, JsonNode item, String hk, String rk) {}

  /** Items whose TTL passed, oldest first, locked for the sweeping transaction. */
  public Flux<Expired> expired(long now, int limit) {
    return db.sql(
            """
            SELECT i.service_id, t.definition, t.tenant_id, i.item, i.hk, i.rk
            FROM nosql_items i JOIN nosql_tables t
              ON t.service_id = i.service_id AND t.table_name = i.table_name
            WHERE i.expires_at IS NOT NULL AND i.expires_at <= :now
            ORDER BY i.expires_at LIMIT :limit
            FOR UPDATE OF i SKIP LOCKED
            """)
        .bind("now", now)
        .bind("limit", limit)
        .map(
            row ->
                new Expired(
                    row.get("service_id", String.class),
                    json.readValue(JsonColumns.text(row, "definition"), TableSchema.class),
                    row.get("tenant_id", String.class),
                    item(row),
                    row.get("hk", String.class),
                    row.get("rk", String.class)))
        .all();
  }

  public Mono<Void> deleteExpired(Expired e) {
    return db.sql(
            "DELETE FROM nosql_items WHERE service_id = :service AND table_name = :table AND hk = :hk AND rk = :rk")
        .bind("service", e.service())
        .bind("table", e.table().name())
        .bind("hk", e.hk())
        .bind("rk", e.rk())
        .fetch()
        .rowsUpdated()
        .then();
  }

  /** Recomputes every item's expiry after TTL was enabled or disabled on a table. */
  public Mono<Long> recomputeExpiry(String service, String table, String ttlAttribute) {
    GenericExecuteSpec spec =
        db.sql(
                """
                UPDATE nosql_items SET expires_at =
                  CASE WHEN CAST(:ttl AS text) IS NULL THEN NULL
                       WHEN (item -> CAST(:ttl AS text) ->> 'N') ~ '^[0-9]{1,11}(\\.[0-9]+)?$'
                       THEN floor(CAST(item -> CAST(:ttl AS text) ->> 'N' AS numeric))::bigint
                       ELSE NULL END
                WHERE service_id = :service AND table_name = :table
                """)
            .bind("service", service)
            .bind("table", table);
    spec =
        ttlAttribute == null ? spec.bindNull("ttl", String.class) : spec.bind("ttl", ttlAttribute);
    return spec.fetch().rowsUpdated();
  }

  private static Object typed(KeyValue value) {
    return switch (value.type()) {
      case "N" -> value.number();
      case "B" -> value.binary();
      default -> value.text();
    };
  }

  private static String rangeColumn(String alias, KeyValue sample) {
    if (sample == null) {
      return alias + ".rk";
    }
    return switch (sample.type()) {
      case "N" -> alias + ".rk_n";
      case "B" -> alias + ".rk_b";
      default -> alias + ".rk";
    };
  }

  private Row row(Readable row) {
    String rk = row.get("krk", String.class);
    BigDecimal n = row.get("kn", BigDecimal.class);
    byte[] b = bytes(row.get("kb"));
    return new Row(
        item(row),
        new ItemKey(
            new KeyValue("", row.get("khk", String.class), BigDecimal.ZERO, new byte[0]),
            new KeyValue("", rk, n, b)));
  }

  private static byte[] bytes(Object value) {
    if (value instanceof byte[] bytes) {
      return bytes;
    }
    if (value instanceof java.nio.ByteBuffer buffer) {
      byte[] out = new byte[buffer.remaining()];
      buffer.get(out);
      return out;
    }
    return new byte[0];
  }

  private JsonNode item(Readable row) {
    return json.readTree(JsonColumns.text(row, "item"));
  }

  private static long number(Readable row, String column) {
    Number value = row.get(column, Number.class);
    return value == null ? 0 : value.longValue();
  }
}
