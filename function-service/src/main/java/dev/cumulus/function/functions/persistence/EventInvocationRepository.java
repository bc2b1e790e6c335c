package dev.cumulus.function.functions.persistence;

import dev.cumulus.function.functions.domain.EventInvocation;
import dev.cumulus.platform.db.Rows;
import io.r2dbc.spi.Readable;
import java.time.Duration;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The {@code event_invocations} table: the durable queue of asynchronous invocations. */
@Repository
public class EventInvocationRepository {

  private final DatabaseClient db;

  public EventInvocationRepository(DatabaseClient db) {
    this.db = db;
  }

  public Mono<Void> insert(EventInvocation invocation) {
    return db.sql(
            "INSERT INTO event_invocations (id, service_id, tenant_id, function_name, qualifier,"
                + " payload, status) VALUES (:id, :service, :tenant, :function, :qualifier,"
                + " :payload, 'queued')")
        .bind("id", invocation.id())
        .bind("service", invocation.serviceId())
        .bind("tenant", invocation.tenantId())
        .bind("function", invocation.functionName())
        .bind("qualifier", invocation.qualifier())
        .bind("payload", invocation.payload())
        .then();
  }

  /** A batch an event source mapping gave up on: straight onto the dead-letter list. */
  public Mono<Void> insertDeadLetter(EventInvocation invocation) {
    return db.sql(
            "INSERT INTO event_invocations (id, service_id, tenant_id, function_name, qualifier,"
                + " payload, status, attempts, error_type, error_message) VALUES (:id, :service,"
                + " :tenant, :function, :qualifier, :payload, 'dead_lettered', :attempts, :type,"
                + " :message)")
        .bind("id", invocation.id())
        .bind("service", invocation.serviceId())
        .bind("tenant", invocation.tenantId())
        .bind("function", invocation.functionName())
        .bind("qualifier", invocation.qualifier())
        .bind("payload", invocation.payload())
        .bind("attempts", invocation.attempts())
        .bind("type", invocation.errorType())
        .bind("message", invocation.errorMessage() == null ? "" : invocation.errorMessage())
        .then();
  }

  /**
   * Claims due invocations: counts the attempt and pushes the next one past the lease, in one
   * statement with {@code FOR UPDATE SKIP LOCKED}, so replicas never take the same one. An
   * invocation whose worker dies is taken again when its lease ends.
   */
  public Flux<EventInvocation> claim(int limit, Duration lease) {
    return db.sql(
            "UPDATE event_invocations SET attempts = attempts + 1, updated_at = now(),"
                + " next_attempt_at = now() + make_interval(secs => :lease) WHERE id IN (SELECT id"
                + " FROM event_invocations WHERE status = 'queued' AND next_attempt_at <= now()"
                + " ORDER BY next_attempt_at LIMIT :limit FOR UPDATE SKIP LOCKED) RETURNING *")
        .bind("limit", limit)
        .bind("lease", (double) lease.toSeconds())
        .map(this::map)
        .all();
  }

  public Mono<Void> succeeded(UUID id, String result) {
    return db.sql(
            "UPDATE event_invocations SET status = 'succeeded', result = :result,"
                + " error_type = NULL, error_message = NULL, updated_at = now() WHERE id = :id")
        .bind("id", id)
        .bind("result", result)
        .then();
  }

  /** A failed attempt: retried after {@code retryIn}, or dead-lettered when that is null. */
  public Mono<Void> failed(UUID id, String type, String message, Duration retryIn) {
    return db.sql(
            "UPDATE event_invocations SET status = :status, error_type = :type,"
                + " error_message = :message, updated_at = now(),"
                + " next_attempt_at = now() + make_interval(secs => :delay) WHERE id = :id")
        .bind("id", id)
        .bind("status", retryIn == null ? EventInvocation.DEAD_LETTERED : EventInvocation.QUEUED)
        .bind("type", type)
        .bind("message", message)
        .bind("delay", retryIn == null ? 0.0 : retryIn.toMillis() / 1000.0)
        .then();
  }

  /** A throttled attempt: tried again after {@code delay}, without counting as an attempt. */
  public Mono<Void> postpone(UUID id, Duration delay) {
    return db.sql(
            "UPDATE event_invocations SET attempts = attempts - 1, updated_at = now(),"
                + " next_attempt_at = now() + make_interval(secs => :delay) WHERE id = :id")
        .bind("id", id)
        .bind("delay", delay.toMillis() / 1000.0)
        .then();
  }

  public Mono<EventInvocation> find(String serviceId, String functionName, UUID id) {
    return db.sql(
            "SELECT * FROM event_invocations WHERE id = :id AND service_id = :service"
                + " AND function_name = :function")
        .bind("id", id)
        .bind("service", serviceId)
        .bind("function", functionName)
        .map(this::map)
        .one();
  }

  /** Dead-lettered invocations of a function, newest first. */
  public Flux<EventInvocation> deadLetters(String serviceId, String functionName, int limit) {
    return db.sql(
            "SELECT * FROM event_invocations WHERE service_id = :service AND function_name ="
                + " :function AND status = 'dead_lettered' ORDER BY updated_at DESC LIMIT :limit")
        .bind("service", serviceId)
        .bind("function", functionName)
        .bind("limit", limit)
        .map(this::map)
        .all();
  }

  public Mono<Void> deleteFunction(String serviceId, String functionName) {
    return db.sql(
            "DELETE FROM event_invocations WHERE service_id = :service AND function_name = :function")
        .bind("service", serviceId)
        .bind("function", functionName)
        .then();
  }

  public Mono<Void> deleteAll(String serviceId) {
    return db.sql("DELETE FROM event_invocations WHERE service_id = :service")
        .bind("service", serviceId)
        .then();
  }

  private EventInvocation map(Readable row) {
    return new EventInvocation(
        row.get("id", UUID.class),
        row.get("service_id", String.class),
        row.get("tenant_id", String.class),
        row.get("function_name", String.class),
        row.get("qualifier", String.class),
        row.get("payload", String.class),
        row.get("status", String.class),
        row.get("attempts", Integer.class),
        row.get("error_type", String.class),
        row.get("error_message", String.class),
        row.get("result", String.class),
        Rows.instant(row, "created_at"),
        Rows.instant(row, "updated_at"));
  }
}
