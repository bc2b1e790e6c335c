package dev.cumulus.database.nosql.persistence;

import dev.cumulus.database.nosql.domain.TableSchema;
import dev.cumulus.platform.db.JsonColumns;
import dev.cumulus.platform.db.Rows;
import io.r2dbc.spi.Readable;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.ObjectMapper;

/** The table catalog: one row per table of an instance, its definition as JSON. */
@Repository
public class TableRepository {

  private final DatabaseClient db;
  private final ObjectMapper json;

  public TableRepository(DatabaseClient db, ObjectMapper json) {
    this.db = db;
    this.json = json;
  }

  /** Inserts the table; false when the instance has one of that name already. */
  public Mono<Boolean> insert(String service, String tenant, TableSchema table) {
    return db.sql(
            """
            INSERT INTO nosql_tables (service_id, table_name, tenant_id, definition, created_at)
            VALUES (:service, :name, :tenant, CAST(:definition AS jsonb), :created)
            ON CONFLICT DO NOTHING
            """)
        .bind("service", service)
        .bind("name", table.name())
        .bind("tenant", tenant)
        .bind("definition", json.writeValueAsString(table))
        .bind("created", table.createdAt())
        .fetch()
        .rowsUpdated()
        .map(n -> n == 1);
  }

  /** A table's definition and its version (new with every change of the definition). */
  public record Versioned(TableSchema schema, long version) {}

  public Mono<TableSchema> find(String service, String name) {
    return findVersioned(service, name).map(Versioned::schema);
  }

  public Mono<Versioned> findVersioned(String service, String name) {
    return db.sql(
            "SELECT definition, version FROM nosql_tables WHERE service_id = :service"
                + " AND table_name = :name")
        .bind("service", service)
        .bind("name", name)
        .map(row -> new Versioned(schema(row), row.get("version", Long.class)))
        .one();
  }

  /** Table names in order, after {@code start} (exclusive) when given. */
  public Flux<String> names(String service, String start, int limit) {
    var spec =
        db.sql(
                """
                SELECT table_name FROM nosql_tables
                WHERE service_id = :service AND (CAST(:start AS text) IS NULL OR table_name > :start)
                ORDER BY table_name LIMIT :limit
                """)
            .bind("service", service)
            .bind("limit", limit);
    return Rows.bindNullable(spec, "start", start, String.class)
        .map(row -> row.get("table_name", String.class))
        .all();
  }

  public Mono<Void> updateTtl(String service, TableSchema table) {
    var spec =
        db.sql(
                """
                UPDATE nosql_tables SET definition = CAST(:definition AS jsonb), ttl_attribute = :ttl
                WHERE service_id = :service AND table_name = :name
                """)
            .bind("definition", json.writeValueAsString(table))
            .bind("service", service)
            .bind("name", table.name());
    return Rows.bindNullable(spec, "ttl", table.ttlAttribute(), String.class)
        .fetch()
        .rowsUpdated()
        .then();
  }

  /** Deletes the table and its items; false when there was none. */
  public Mono<Boolean> delete(String service, String name) {
    return db.sql("DELETE FROM nosql_items WHERE service_id = :service AND table_name = :name")
        .bind("service", service)
        .bind("name", name)
        .fetch()
        .rowsUpdated()
        .then(
            db.sql("DELETE FROM nosql_tables WHERE service_id = :service AND table_name = :name")
                .bind("service", service)
                .bind("name", name)
                .fetch()
                .rowsUpdated())
        .map(n -> n == 1);
  }

  /** Removes every table and item of an instance. */
  public Mono<Void> deleteInstance(String service) {
    return db.sql("DELETE FROM nosql_items WHERE service_id = :service")
        .bind("service", service)
        .fetch()
        .rowsUpdated()
        .then(
            db.sql("DELETE FROM nosql_tables WHERE service_id = :service")
                .bind("service", service)
                .fetch()
                .rowsUpdated())
        .then();
  }

  /** Holds the table's definition lock until the transaction ends (UpdateTable, backfills). */
  public Mono<Void> lock(String service, String table) {
    return db.sql("SELECT pg_advisory_xact_lock(hashtextextended(:k, 2))")
        .bind("k", service + "/" + table)
        .fetch()
        .rowsUpdated()
        .then();
  }

  /** Replaces the table's definition (UpdateTable, an index becoming ACTIVE). */
  public Mono<Void> updateDefinition(String service, TableSchema table) {
    return db.sql(
            """
            UPDATE nosql_tables SET definition = CAST(:definition AS jsonb)
            WHERE service_id = :service AND table_name = :name
            """)
        .bind("definition", json.writeValueAsString(table))
        .bind("service", service)
        .bind("name", table.name())
        .fetch()
        .rowsUpdated()
        .then();
  }

  /** (service id, table) of every table with a GSI still being backfilled. */
  public Flux<String[]> backfilling() {
    return db.sql(
            """
            SELECT service_id, table_name FROM nosql_tables
            WHERE definition -> 'globalIndexes' @> '[{"status": "CREATING"}]'
            """)
        .map(
            row ->
                new String[] {
                  row.get("service_id", String.class), row.get("table_name", String.class)
                })
        .all();
  }

  private TableSchema schema(Readable row) {
    return json.readValue(JsonColumns.text(row, "definition"), TableSchema.class);
  }
}
