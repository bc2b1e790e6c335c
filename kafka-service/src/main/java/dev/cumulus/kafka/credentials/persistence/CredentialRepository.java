package dev.cumulus.kafka.credentials.persistence;

import dev.cumulus.kafka.credentials.domain.Credential;
import java.time.Instant;
import java.time.OffsetDateTime;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The tenants' Kafka users (names and scope only; the cluster holds the SCRAM hash). */
@Repository
public class CredentialRepository {

  private final DatabaseClient db;

  public CredentialRepository(DatabaseClient db) {
    this.db = db;
  }

  public Mono<Credential> insert(
      String username, String tenantId, String serviceId, String description) {
    var spec =
        db.sql(
                "INSERT INTO kafka_credentials (username, tenant_id, service_id, description)"
                    + " VALUES (:username, :tenant, :service, :description) RETURNING *")
            .bind("username", username)
            .bind("tenant", tenantId)
            .bind("service", serviceId);
    spec =
        description == null
            ? spec.bindNull("description", String.class)
            : spec.bind("description", description);
    return spec.map(CredentialRepository::credential).one();
  }

  public Flux<Credential> byService(String serviceId) {
    return db.sql("SELECT * FROM kafka_credentials WHERE service_id = :service ORDER BY created_at")
        .bind("service", serviceId)
        .map(CredentialRepository::credential)
        .all();
  }

  public Mono<Credential> find(String serviceId, String username) {
    return db.sql(
            "SELECT * FROM kafka_credentials WHERE service_id = :service AND username = :username")
        .bind("service", serviceId)
        .bind("username", username)
        .map(CredentialRepository::credential)
        .one();
  }

  public Mono<Credential> rotated(String username) {
    return db.sql(
            "UPDATE kafka_credentials SET rotated_at = now() WHERE username = :username"
                + " RETURNING *")
        .bind("username", username)
        .map(CredentialRepository::credential)
        .one();
  }

  public Mono<Long> delete(String username) {
    return db.sql("DELETE FROM kafka_credentials WHERE username = :username")
        .bind("username", username)
        .fetch()
        .rowsUpdated();
  }

  private static Credential credential(io.r2dbc.spi.Readable row) {
    return new Credential(
        row.get("username", String.class),
        row.get("tenant_id", String.class),
        row.get("service_id", String.class),
        row.get("description", String.class),
        instant(row.get("created_at", OffsetDateTime.class)),
        instant(row.get("rotated_at", OffsetDateTime.class)));
  }

  private static Instant instant(OffsetDateTime time) {
    return time == null ? null : time.toInstant();
  }
}
