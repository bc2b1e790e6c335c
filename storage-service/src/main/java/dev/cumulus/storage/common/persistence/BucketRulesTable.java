package dev.cumulus.storage.common.persistence;

import dev.cumulus.platform.db.JsonColumns;
import java.util.List;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Mono;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;

/**
 * A bucket sub-resource stored as one JSON list of rules per bucket, in a table of its own with
 * columns {@code bucket_id} (primary key, deleted with the bucket), {@code rules} (jsonb) and
 * {@code updated_at}: a bucket's lifecycle rules, its CORS rules.
 *
 * @param <R> the domain record of one rule (stored as its JSON form)
 */
public class BucketRulesTable<R> {

  private final DatabaseClient db;
  private final ObjectMapper json;
  private final String table;
  private final TypeReference<List<R>> type;

  /**
   * @param table the table's name: a constant of the calling repository, never input
   */
  public BucketRulesTable(
      DatabaseClient db, ObjectMapper json, String table, TypeReference<List<R>> type) {
    this.db = db;
    this.json = json;
    this.table = table;
    this.type = type;
  }

  /** Replaces the bucket's rules. */
  public Mono<Void> save(UUID bucketId, List<R> rules) {
    return db.sql(
            "INSERT INTO "
                + table
                + " (bucket_id, rules, updated_at) VALUES (:b, CAST(:rules AS jsonb), now())"
                + " ON CONFLICT (bucket_id) DO UPDATE SET rules = EXCLUDED.rules,"
                + " updated_at = now()")
        .bind("b", bucketId)
        .bind("rules", json.writeValueAsString(rules))
        .fetch()
        .rowsUpdated()
        .then();
  }

  public Mono<List<R>> find(UUID bucketId) {
    return db.sql("SELECT rules FROM " + table + " WHERE bucket_id = :b")
        .bind("b", bucketId)
        .map(row -> parse(JsonColumns.text(row, "rules")))
        .one();
  }

  /** The rules of an instance's bucket, by name, in one query (for the object request path). */
  public Mono<List<R>> find(String serviceId, String bucket) {
    return db.sql(
            "SELECT t.rules FROM "
                + table
                + " t JOIN storage_buckets b ON b.id = t.bucket_id"
                + " WHERE b.service_id = :service AND b.name = :name")
        .bind("service", serviceId)
        .bind("name", bucket)
        .map(row -> parse(JsonColumns.text(row, "rules")))
        .one();
  }

  public Mono<Long> delete(UUID bucketId) {
    return db.sql("DELETE FROM " + table + " WHERE bucket_id = :b")
        .bind("b", bucketId)
        .fetch()
        .rowsUpdated();
  }

  /** Rules as stored in the {@code rules} column. */
  public List<R> parse(String stored) {
    return json.readValue(stored, type);
  }
}
