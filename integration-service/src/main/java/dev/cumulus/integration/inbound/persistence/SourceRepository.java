package dev.cumulus.integration.inbound.persistence;

import dev.cumulus.integration.inbound.domain.IntegrationSource;
import dev.cumulus.platform.db.Rows;
import io.r2dbc.spi.Readable;
import java.nio.ByteBuffer;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The {@code integration_services} table. */
@Repository
public class SourceRepository {

  /** A source with its sealed secrets. */
  public record SealedSource(IntegrationSource source, byte[] secret, byte[] apiKey) {}

  private static final String COLUMNS =
      "id, tenant_id, tenant_domain, name, base_url, signature_required, created_at, secret, api_key";

  private final DatabaseClient db;

  public SourceRepository(DatabaseClient db) {
    this.db = db;
  }

  /** False when the tenant has a source of that name already. */
  public Mono<Boolean> insert(IntegrationSource s, byte[] secret, byte[] apiKey) {
    return Rows.bindNullable(
            db.sql(
                    "INSERT INTO integration_services (id, tenant_id, tenant_domain, name, base_url,"
                        + " secret, signature_required, api_key) VALUES (:id, :t, :domain, :name,"
                        + " :url, :secret, :required, :key) ON CONFLICT DO NOTHING")
                .bind("id", s.id())
                .bind("t", s.tenantId())
                .bind("domain", s.tenantDomain())
                .bind("name", s.name())
                .bind("url", s.baseUrl())
                .bind("secret", secret)
                .bind("required", s.signatureRequired()),
            "key",
            apiKey,
            byte[].class)
        .fetch()
        .rowsUpdated()
        .map(rows -> rows == 1);
  }

  public Flux<IntegrationSource> list(String tenantId) {
    return db.sql(
            "SELECT "
                + COLUMNS
                + " FROM integration_services WHERE tenant_id = :t ORDER BY created_at")
        .bind("t", tenantId)
        .map(row -> map(row).source())
        .all();
  }

  public Mono<SealedSource> find(String tenantId, UUID id) {
    return db.sql(
            "SELECT " + COLUMNS + " FROM integration_services WHERE tenant_id = :t AND id = :id")
        .bind("t", tenantId)
        .bind("id", id)
        .map(SourceRepository::map)
        .one();
  }

  public Mono<SealedSource> findByDomain(String tenantDomain, String name) {
    return db.sql(
            "SELECT "
                + COLUMNS
                + " FROM integration_services WHERE tenant_domain = :d AND name = :n")
        .bind("d", tenantDomain)
        .bind("n", name)
        .map(SourceRepository::map)
        .one();
  }

  public Mono<Boolean> delete(String tenantId, UUID id) {
    return db.sql("DELETE FROM integration_services WHERE tenant_id = :t AND id = :id")
        .bind("t", tenantId)
        .bind("id", id)
        .fetch()
        .rowsUpdated()
        .map(rows -> rows == 1);
  }

  private static SealedSource map(Readable row) {
    return new SealedSource(
        new IntegrationSource(
            row.get("id", UUID.class),
            row.get("tenant_id", String.class),
            row.get("tenant_domain", String.class),
            row.get("name", String.class),
            row.get("base_url", String.class),
            Boolean.TRUE.equals(row.get("signature_required", Boolean.class)),
            Rows.instant(row, "created_at")),
        bytes(row.get("secret", ByteBuffer.class)),
        bytes(row.get("api_key", ByteBuffer.class)));
  }

  private static byte[] bytes(ByteBuffer buffer) {
    if (buffer == null) {
      return null;
    }
    byte[] b = new byte[buffer.remaining()];
    buffer.get(b);
    return b;
  }
}
