package dev.cumulus.integration.mail.persistence;

import dev.cumulus.platform.db.Rows;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The {@code mail_outbox} table: mails waiting to be sent, retried until they are. */
@Repository
public class MailRepository {

  /** A mail claimed for sending. */
  public record PendingMail(
      UUID id,
      String tenantId,
      String to,
      String subject,
      String text,
      String html,
      int attempts) {}

  private final DatabaseClient db;

  public MailRepository(DatabaseClient db) {
    this.db = db;
  }

  public Mono<Void> enqueue(
      String tenantId, Long notificationId, String to, String subject, String text, String html) {
    return Rows.bindNullable(
            db.sql(
                    "INSERT INTO mail_outbox (id, tenant_id, notification_id, to_address, subject,"
                        + " text_body, html_body) VALUES (:id, :t, :n, :to, :subject, :text, :html)")
                .bind("id", UUID.randomUUID())
                .bind("t", tenantId)
                .bind("to", to)
                .bind("subject", subject)
                .bind("text", text)
                .bind("html", html),
            "n",
            notificationId,
            Long.class)
        .fetch()
        .rowsUpdated()
        .then();
  }

  /** Claims due mails (SKIP LOCKED) and hides them for {@code lease}. */
  public Flux<PendingMail> claim(int limit, Duration lease) {
    return db.sql(
            "UPDATE mail_outbox m SET attempts = m.attempts + 1,"
                + " next_attempt_at = now() + make_interval(secs => :lease) WHERE m.id IN ("
                + " SELECT id FROM mail_outbox WHERE status = 'pending' AND next_attempt_at <= now()"
                + " ORDER BY next_attempt_at LIMIT :limit FOR UPDATE SKIP LOCKED)"
                + " RETURNING m.id, m.tenant_id, m.to_address, m.subject, m.text_body, m.html_body,"
                + " m.attempts")
        .bind("limit", limit)
        .bind("lease", lease.toMillis() / 1000.0)
        .map(
            row ->
                new PendingMail(
                    row.get("id", UUID.class),
                    row.get("tenant_id", String.class),
                    row.get("to_address", String.class),
                    row.get("subject", String.class),
                    row.get("text_body", String.class),
                    row.get("html_body", String.class),
                    row.get("attempts", Integer.class)))
        .all();
  }

  public Mono<Void> sent(UUID id, String providerId) {
    return Rows.bindNullable(
            db.sql(
                    "UPDATE mail_outbox SET status = 'sent', sent_at = now(), provider_id = :p,"
                        + " last_error = NULL WHERE id = :id")
                .bind("id", id),
            "p",
            providerId,
            String.class)
        .fetch()
        .rowsUpdated()
        .then();
  }

  /** A mail refused for good: no more attempts; listed by {@link #dead(String, int)}. */
  public Mono<Void> dead(UUID id, String error) {
    return db.sql(
            "UPDATE mail_outbox SET status = 'dead', dead_at = now(), last_error = :e"
                + " WHERE id = :id")
        .bind("id", id)
        .bind("e", error)
        .fetch()
        .rowsUpdated()
        .then();
  }

  /** A dead letter as its tenant sees it. */
  public record DeadLetter(
      UUID id,
      Long notificationId,
      String to,
      String subject,
      int attempts,
      String error,
      Instant createdAt,
      Instant deadAt) {}

  /** The tenant's dead letters, newest first. */
  public Flux<DeadLetter> dead(String tenantId, int limit) {
    return db.sql(
            "SELECT id, notification_id, to_address, subject, attempts, last_error, created_at,"
                + " dead_at FROM mail_outbox WHERE tenant_id = :t AND status = 'dead'"
                + " ORDER BY dead_at DESC LIMIT :limit")
        .bind("t", tenantId)
        .bind("limit", limit)
        .map(
            row ->
                new DeadLetter(
                    row.get("id", UUID.class),
                    row.get("notification_id", Long.class),
                    row.get("to_address", String.class),
                    row.get("subject", String.class),
                    row.get("attempts", Integer.class),
                    row.get("last_error", String.class),
                    Rows.instant(row, "created_at"),
                    Rows.instant(row, "dead_at")))
        .all();
  }

  public Mono<Void> retryAt(UUID id, Instant at, String error) {
    return db.sql("UPDATE mail_outbox SET next_attempt_at = :at, last_error = :e WHERE id = :id")
        .bind("id", id)
        .bind("at", at)
        .bind("e", error)
        .fetch()
        .rowsUpdated()
        .then();
  }
}
