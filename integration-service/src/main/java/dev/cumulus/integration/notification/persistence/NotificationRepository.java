package dev.cumulus.integration.notification.persistence;

import dev.cumulus.integration.notification.domain.Notification;
import dev.cumulus.integration.notification.domain.Preferences;
import dev.cumulus.platform.db.JsonColumns;
import dev.cumulus.platform.db.Rows;
import io.r2dbc.postgresql.codec.Json;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.DatabaseClient.GenericExecuteSpec;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Notifications, who read them, and e-mail preferences; every query names the tenant. */
@Repository
public class NotificationRepository {

  private final DatabaseClient db;

  public NotificationRepository(DatabaseClient db) {
    this.db = db;
  }

  /** The new notification's id; empty when the event made one already. */
  public Mono<Long> insert(
      String tenantId,
      String eventId,
      String type,
      String title,
      String message,
      String level,
      String data) {
    return db.sql(
            "INSERT INTO notifications (tenant_id, event_id, type, title, message, level, data)"
                + " VALUES (:t, :event, :type, :title, :message, :level, :data)"
                + " ON CONFLICT (tenant_id, event_id) DO NOTHING RETURNING id")
        .bind("t", tenantId)
        .bind("event", eventId)
        .bind("type", type)
        .bind("title", title)
        .bind("message", message)
        .bind("level", level)
        .bind("data", Json.of(data))
        .map(row -> row.get("id", Long.class))
        .one();
  }

  /** Filters of the list; null means any. */
  public record Filter(Boolean read, String type, String level) {}

  public Flux<Notification> list(
      String tenantId, String userId, Filter filter, int offset, int limit) {
    Query q = where(tenantId, userId, filter);
    GenericExecuteSpec spec =
        db.sql(
            "SELECT n.*, r.user_id IS NOT NULL AS is_read FROM notifications n"
                + " LEFT JOIN notification_reads r ON r.notification_id = n.id AND r.user_id = :user"
                + q.sql
                + " ORDER BY n.created_at DESC, n.id DESC LIMIT :limit OFFSET :offset");
    return q.bind(spec)
        .bind("limit", limit)
        .bind("offset", offset)
        .map(
            row ->
                new Notification(
                    row.get("id", Long.class),
                    row.get("type", String.class),
                    row.get("title", String.class),
                    row.get("message", String.class),
                    row.get("level", String.class),
                    Boolean.TRUE.equals(row.get("is_read", Boolean.class)),
                    Rows.instant(row, "created_at"),
                    JsonColumns.text(row, "data")))
        .all();
  }

  public Mono<Long> count(String tenantId, String userId, Filter filter) {
    Query q = where(tenantId, userId, filter);
    GenericExecuteSpec spec =
        db.sql(
            "SELECT count(*) FROM notifications n LEFT JOIN notification_reads r"
                + " ON r.notification_id = n.id AND r.user_id = :user"
                + q.sql);
    return q.bind(spec).map(row -> row.get(0, Long.class)).one();
  }

  /** False when the tenant has no such notification. */
  public Mono<Boolean> markRead(String tenantId, long id, String userId) {
    return db.sql(
            "INSERT INTO notification_reads (notification_id, user_id)"
                + " SELECT id, :user FROM notifications WHERE tenant_id = :t AND id = :id"
                + " ON CONFLICT DO NOTHING")
        .bind("t", tenantId)
        .bind("id", id)
        .bind("user", userId)
        .fetch()
        .rowsUpdated()
        .flatMap(
            inserted ->
                inserted == 1
                    ? Mono.just(true)
                    : db.sql("SELECT 1 FROM notifications WHERE tenant_id = :t AND id = :id")
                        .bind("t", tenantId)
                        .bind("id", id)
                        .map(row -> true)
                        .one()
                        .defaultIfEmpty(false));
  }

  public Mono<Preferences> preferences(String tenantId, String userId) {
    return db.sql("SELECT * FROM notification_preferences WHERE tenant_id = :t AND user_id = :user")
        .bind("t", tenantId)
        .bind("user", userId)
        .map(
            row ->
                new Preferences(
                    row.get("email", String.class),
                    Boolean.TRUE.equals(row.get("email_enabled", Boolean.class)),
                    List.copyOf(Rows.strings(row, "email_types"))))
        .one();
  }

  public Mono<Void> savePreferences(String tenantId, String userId, Preferences p) {
    return db.sql(
            "INSERT INTO notification_preferences (tenant_id, user_id, email, email_enabled,"
                + " email_types) VALUES (:t, :user, :email, :enabled, :types)"
                + " ON CONFLICT (tenant_id, user_id) DO UPDATE SET email = :email,"
                + " email_enabled = :enabled, email_types = :types, updated_at = now()")
        .bind("t", tenantId)
        .bind("user", userId)
        .bind("email", p.email())
        .bind("enabled", p.emailEnabled())
        .bind("types", p.emailTypes().toArray(String[]::new))
        .fetch()
        .rowsUpdated()
        .then();
  }

  /** Every user preference of the tenant with e-mail on. */
  public Flux<Preferences> emailRecipients(String tenantId) {
    return db.sql("SELECT * FROM notification_preferences WHERE tenant_id = :t AND email_enabled")
        .bind("t", tenantId)
        .map(
            row ->
                new Preferences(
                    row.get("email", String.class),
                    true,
                    List.copyOf(Rows.strings(row, "email_types"))))
        .all();
  }

  private record Query(String sql, Map<String, Object> params) {
    GenericExecuteSpec bind(GenericExecuteSpec spec) {
      for (Map.Entry<String, Object> p : params.entrySet()) {
        spec = spec.bind(p.getKey(), p.getValue());
      }
      return spec;
    }
  }

  private static Query where(String tenantId, String userId, Filter filter) {
    List<String> clauses = new ArrayList<>(List.of("n.tenant_id = :t"));
    Map<String, Object> params = new HashMap<>(Map.of("t", tenantId, "user", userId));
    if (filter.read() != null) {
      clauses.add(filter.read() ? "r.user_id IS NOT NULL" : "r.user_id IS NULL");
    }
    if (filter.type() != null) {
      clauses.add("n.type = :type");
      params.put("type", filter.type());
    }
    if (filter.level() != null) {
      clauses.add("n.level = :level");
      params.put("level", filter.level());
    }
    return new Query(" WHERE " + String.join(" AND ", clauses), params);
  }
}
