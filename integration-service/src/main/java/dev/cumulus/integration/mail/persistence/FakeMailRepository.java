package dev.cumulus.integration.mail.persistence;

import dev.cumulus.platform.db.JsonColumns;
import dev.cumulus.platform.db.Rows;
import io.r2dbc.postgresql.codec.Json;
import java.time.Instant;
import java.util.List;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The local SendGrid fake's inbox ({@code fake_mails}). */
@Repository
public class FakeMailRepository {

  /** One accepted mail; {@code request} is the JSON SendGrid's API received. */
  public record FakeMail(
      String id,
      String from,
      List<String> to,
      String subject,
      String request,
      Instant receivedAt) {}

  private final DatabaseClient db;

  public FakeMailRepository(DatabaseClient db) {
    this.db = db;
  }

  public Mono<Void> insert(
      String id, String tenantId, String from, List<String> to, String subject, String request) {
    return Rows.bindNullable(
            db.sql(
                    "INSERT INTO fake_mails (id, tenant_id, from_address, to_addresses, subject,"
                        + " request) VALUES (:id, :t, :from, :to, :subject, :request)")
                .bind("id", id)
                .bind("from", from)
                .bind("to", to.toArray(String[]::new))
                .bind("subject", subject)
                .bind("request", Json.of(request)),
            "t",
            tenantId,
            String.class)
        .fetch()
        .rowsUpdated()
        .then();
  }

  public Flux<FakeMail> forTenant(String tenantId, int limit) {
    return db.sql(
            "SELECT * FROM fake_mails WHERE tenant_id = :t ORDER BY received_at DESC LIMIT :limit")
        .bind("t", tenantId)
        .bind("limit", limit)
        .map(
            row ->
                new FakeMail(
                    row.get("id", String.class),
                    row.get("from_address", String.class),
                    List.copyOf(Rows.strings(row, "to_addresses")),
                    row.get("subject", String.class),
                    JsonColumns.text(row, "request"),
                    Rows.instant(row, "received_at")))
        .all();
  }
}
