package dev.cumulus.database.nosql.persistence;

import java.util.Collection;
import java.util.Map;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Tags of tables; a table's tags go with it (foreign key, ON DELETE CASCADE). */
@Repository
public class TagRepository {

  private final DatabaseClient db;

  public TagRepository(DatabaseClient db) {
    this.db = db;
  }

  /** Adds the tags, replacing the values of keys the table has already. */
  public Mono<Void> put(String service, String table, Map<String, String> tags) {
    return Flux.fromIterable(tags.entrySet())
        .concatMap(
            tag ->
                db.sql(
                        """
                        INSERT INTO nosql_table_tags (service_id, table_name, tag_key, tag_value)
                        VALUES (:service, :table, :key, :value)
                        ON CONFLICT (service_id, table_name, tag_key)
                        DO UPDATE SET tag_value = EXCLUDED.tag_value
                        """)
                    .bind("service", service)
                    .bind("table", table)
                    .bind("key", tag.getKey())
                    .bind("value", tag.getValue())
                    .fetch()
                    .rowsUpdated())
        .then();
  }

  public Mono<Void> remove(String service, String table, Collection<String> keys) {
    return db.sql(
            "DELETE FROM nosql_table_tags WHERE service_id = :service AND table_name = :table"
                + " AND tag_key = ANY(:keys)")
        .bind("service", service)
        .bind("table", table)
        .bind("keys", keys.toArray(String[]::new))
        .fetch()
        .rowsUpdated()
        .then();
  }

  /** The table's tags in key order. */
  public Flux<Map.Entry<String, String>> list(String service, String table) {
    return db.sql(
            "SELECT tag_key, tag_value FROM nosql_table_tags"
                + " WHERE service_id = :service AND table_name = :table ORDER BY tag_key")
        .bind("service", service)
        .bind("table", table)
        .map(row -> Map.entry(row.get("tag_key", String.class), row.get("tag_value", String.class)))
        .all();
  }

  public Mono<Long> count(String service, String table) {
    return db.sql(
            "SELECT count(*) AS n FROM nosql_table_tags"
                + " WHERE service_id = :service AND table_name = :table")
        .bind("service", service)
        .bind("table", table)
        .map(row -> row.get("n", Long.class))
        .one();
  }
}
