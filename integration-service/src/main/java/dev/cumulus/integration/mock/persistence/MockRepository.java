package dev.cumulus.integration.mock.persistence;

import dev.cumulus.platform.db.JsonColumns;
import dev.cumulus.platform.db.Rows;
import io.r2dbc.postgresql.codec.Json;
import java.time.Instant;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The {@code mock_records} table: every query names the tenant. */
@Repository
public class MockRepository {

  /** A stored record; {@code data} is JSON. */
  public record MockRow(UUID id, String data, Instant createdAt) {}

  private final DatabaseClient db;

  public MockRepository(DatabaseClient db) {
    this.db = db;
  }

  public Mono<MockRow> insert(String tenantId, String type, String data) {
    return db.sql(
            "INSERT INTO mock_records (id, tenant_id, type, data) VALUES (:id, :t, :type, :data)"
                + " RETURNING id, data, created_at")
        .bind("id", UUID.randomUUID())
        .bind("t", tenantId)
        .bind("type", type)
        .bind("data", Json.of(data))
        .map(
            row ->
                new MockRow(
                    row.get("id", UUID.class),
                    JsonColumns.text(row, "data"),
                    Rows.instant(row, "created_at")))
        .one();
  }

  /** In creation order, so offsets are stable while records are added. */
  public Flux<MockRow> list(String tenantId, String type, long offset, int limit) {
    return db.sql(
            "SELECT id, data, created_at FROM mock_records WHERE tenant_id = :t AND type = :type"
                + " ORDER BY created_at, id OFFSET :offset LIMIT :limit")
        .bind("t", tenantId)
        .bind("type", type)
        .bind("offset", offset)
        .bind("limit", limit)
        .map(
            row ->
                new MockRow(
                    row.get("id", UUID.class),
                    JsonColumns.text(row, "data"),
                    Rows.instant(row, "created_at")))
        .all();
  }

  public Mono<Long> count(String tenantId, String type) {
    return db.sql("SELECT count(*) FROM mock_records WHERE tenant_id = :t AND type = :type")
        .bind("t", tenantId)
        .bind("type", type)
        .map(row -> row.get(0, Long.class))
        .one();
  }
}
