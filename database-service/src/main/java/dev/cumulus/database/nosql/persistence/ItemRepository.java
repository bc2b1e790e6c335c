package dev.cumulus.database.nosql.persistence;

import dev.cumulus.database.nosql.domain.ItemKey;
import dev.cumulus.database.nosql.domain.KeyCondition;
import dev.cumulus.database.nosql.domain.KeyValue;
import dev.cumulus.database.nosql.domain.TableSchema;
import dev.cumulus.platform.db.JsonColumns;
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

  public Mono<Void> put(
      String service, String table, ItemKey key, JsonNode item, int size, Long expiresAt) {
    GenericExecuteSpec spec =
        db.sql(
                """
                INSERT INTO nosql_items
                  (service_id, table_name, hk, rk, rk_n, rk_b, item, size, expires_at)
                VALUES (:service, :table, :hk, :rk, :n, :b, CAST(:item AS jsonb), :size, :expires)
                ON CONFLICT (service_id, table_name, hk, rk) DO UPDATE
                  SET item = EXCLUDED.item, size = EXCLUDED.size, expires_at = EXCLUDED.expires_at
                """)
            .bind("service", service)
            .bind("table", table)
            .bind("hk", key.hash().text())
            .bind("rk", key.range().text())
            .bind("n", key.range().number())
            .bind("b", key.range().binary())
            .bind("item", json.writeValueAsString(item))
            .bind("size", size);
    spec =
        expiresAt == null ? spec.bindNull("expires", Long.class) : spec.bind("expires", expiresAt);
    return spec.fetch().rowsUpdated().then();
  }

  public Mono<Void> delete(String service, String table, ItemKey key) {
    return db.sql(
            "DELETE FROM nosql_items WHERE service_id = :service AND table_name = :table AND hk = :hk AND rk = :rk")
        .bind("service", service)
        .bind("table", table)
        .bind("hk", key.hash().text())
        .bind("rk", key.range().text())
        .fetch()
        .rowsUpdated()
        .then();
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
