package dev.cumulus.database.rds.application;

import dev.cumulus.database.rds.config.RdsProperties;
import dev.cumulus.database.rds.domain.JsonValue;
import dev.cumulus.database.rds.domain.Placeholders;
import dev.cumulus.database.rds.domain.PlanLimits;
import dev.cumulus.database.rds.domain.QueryOptions;
import dev.cumulus.database.rds.domain.QueryResult;
import dev.cumulus.database.rds.domain.StorageCap;
import dev.cumulus.platform.error.ApiException;
import dev.cumulus.platform.instance.Instance;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.r2dbc.postgresql.codec.Json;
import io.r2dbc.postgresql.codec.PostgresqlObjectId;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.Parameters;
import io.r2dbc.spi.Readable;
import io.r2dbc.spi.Result;
import io.r2dbc.spi.RowMetadata;
import io.r2dbc.spi.Statement;
import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Runs tenants' SQL as the instance's own role: one statement per call (PostgreSQL's extended
 * protocol refuses several), in a transaction of its own (READ ONLY on request) with the plan's
 * statement timeout and work_mem, rows streamed from a portal and cut at the row and size limits.
 * Statements slower than the threshold are reported as events.
 */
@Component
public class SqlRunner {

  private static final int SLOW_SQL_CHARS = 1000;

  private final TenantPools pools;
  private final RdsProperties properties;
  private final RdsEvents events;
  private final MeterRegistry meters;

  public SqlRunner(
      TenantPools pools, RdsProperties properties, RdsEvents events, MeterRegistry meters) {
    this.pools = pools;
    this.properties = properties;
    this.events = events;
    this.meters = meters;
  }

  /** The service's limits as options; a request may only lower them. */
  public QueryOptions options(boolean readOnly, Integer maxRows) {
    RdsProperties.Limits limits = properties.limits();
    int rows =
        maxRows == null ? limits.maxRows() : Math.min(Math.max(maxRows, 0), limits.maxRows());
    return new QueryOptions(readOnly, rows, limits.maxResponseBytes());
  }

  /** One statement in its own transaction. */
  public Mono<QueryResult> run(
      Instance instance, String sql, List<Object> parameters, QueryOptions options) {
    return withTransaction(
        instance,
        options.readOnly(),
        StorageCap.freesSpace(sql),
        connection -> execute(instance, connection, sql, parameters, options));
  }

  /** Work on one connection of the instance inside a transaction, committed if it succeeds. */
  public <T> Mono<T> withTransaction(
      Instance instance, boolean readOnly, java.util.function.Function<Connection, Mono<T>> work) {
    return withTransaction(instance, readOnly, false, work);
  }

  /**
   * As above; an instance over its storage limit runs it READ ONLY unless {@code freesSpace} (a
   * DELETE, TRUNCATE or DROP, StorageCap), and says so when PostgreSQL refuses a write (25006).
   */
  public <T> Mono<T> withTransaction(
      Instance instance,
      boolean readOnly,
      boolean freesSpace,
      java.util.function.Function<Connection, Mono<T>> work) {
    return pools
        .pool(instance.serviceId())
        .flatMap(
            open -> {
              boolean capped = open.storageExceeded() && !freesSpace;
              return Mono.usingWhen(
                      open.pool().create(),
                      connection ->
                          begin(connection, readOnly || capped, open.limits())
                              .then(work.apply(connection))
                              .flatMap(
                                  result ->
                                      Mono.from(connection.commitTransaction()).thenReturn(result))
                              .onErrorResume(
                                  error ->
                                      Mono.from(connection.rollbackTransaction())
                                          .onErrorResume(ignored -> Mono.empty())
                                          .then(Mono.error(error))),
                      Connection::close)
                  .onErrorMap(
                      error ->
                          SqlErrors.translate(
                              error,
                              capped && !readOnly ? StorageCap.refusal(open.limits()) : null));
            })
        .onErrorMap(SqlErrors::translate);
  }

  /**
   * BEGIN (READ ONLY) with the plan's statement timeout and work_mem for this transaction only, in
   * one round trip: a simple query of three statements. The tenant may have changed its role's or
   * database's defaults (PostgreSQL lets it), so the API sets the plan's values itself. The driver
   * follows the transaction from the server's answer, so commit and rollback work as after {@code
   * beginTransaction}.
   */
  public Mono<Void> begin(Connection connection, boolean readOnly, PlanLimits limits) {
    // Both values are validated (PlanLimits): a number, and a size such as 4MB.
    String begin =
        "BEGIN ISOLATION LEVEL READ COMMITTED, "
            + (readOnly ? "READ ONLY" : "READ WRITE")
            + "; SET LOCAL statement_timeout = "
            + limits.statementTimeout().toMillis()
            + "; SET LOCAL work_mem = '"
            + limits.workMem()
            + "'";
    return Flux.from(connection.createStatement(begin).execute())
        .concatMap(Result::getRowsUpdated)
        .then();
  }

  /** One statement with {@code ?} or {@code $n} placeholders, in the caller's transaction. */
  public Mono<QueryResult> execute(
      Instance instance,
      Connection connection,
      String sql,
      List<Object> parameters,
      QueryOptions options) {
    if (sql == null || sql.isBlank()) {
      return Mono.error(ApiException.badRequest("A SQL statement is required"));
    }
    Placeholders.Numbered numbered = Placeholders.number(sql);
    List<Object> values = parameters == null ? List.of() : parameters;
    if (numbered.count() >= 0 && numbered.count() != values.size()) {
      return Mono.error(
          ApiException.badRequest(
              "The statement has "
                  + numbered.count()
                  + " placeholder(s) but "
                  + values.size()
                  + " parameter(s) were given"));
    }
    return executeNumbered(instance, connection, sql, numbered.sql(), values, options);
  }

  /**
   * One statement whose placeholders are PostgreSQL's {@code $n} already, in the caller's
   * transaction; {@code original} is what slow-statement events show.
   */
  public Mono<QueryResult> executeNumbered(
      Instance instance,
      Connection connection,
      String original,
      String sql,
      List<Object> values,
      QueryOptions options) {
    if (sql == null || sql.isBlank()) {
      return Mono.error(ApiException.badRequest("A SQL statement is required"));
    }
    long started = System.nanoTime();
    return Mono.defer(
            () -> {
              Statement statement = connection.createStatement(sql);
              for (int i = 0; i < values.size(); i++) {
                statement.bind(i, parameter(values.get(i)));
              }
              // A portal: rows come in batches and the rest is never sent once we stop.
              statement.fetchSize(Math.min(options.maxRows() + 1, 1000));
              return collect(Flux.from(statement.execute()), options, started);
            })
        .onErrorMap(SqlErrors::translate)
        .doOnSuccess(result -> record(instance, "ok", started))
        .doOnError(error -> record(instance, "error", started))
        .flatMap(result -> reportIfSlow(instance, original, result).thenReturn(result));
  }

  private Mono<QueryResult> collect(
      Flux<? extends Result> results, QueryOptions options, long started) {
    List<QueryResult.Column> columns = new ArrayList<>();
    List<List<Object>> rows = new ArrayList<>();
    AtomicLong bytes = new AtomicLong();
    AtomicLong affected = new AtomicLong();
    String[] truncated = new String[1];
    return results
        .concatMap(
            result ->
                result.flatMap(
                    segment -> {
                      if (segment instanceof Result.RowSegment row) {
                        if (columns.isEmpty()) {
                          columns.addAll(columns(row.row().getMetadata()));
                        }
                        if (truncated[0] != null) {
                          return Mono.empty();
                        }
                        if (rows.size() >= options.maxRows()) {
                          truncated[0] = "rows";
                          return Mono.empty();
                        }
                        List<Object> values = values(row.row(), columns.size());
                        if (bytes.addAndGet(estimate(values)) > options.maxResponseBytes()) {
                          truncated[0] = "bytes";
                          return Mono.empty();
                        }
                        rows.add(values);
                      } else if (segment instanceof Result.UpdateCount count) {
                        affected.addAndGet(count.value());
                      } else if (segment instanceof Result.Message message
                          && message.exception() != null) {
                        return Mono.error(message.exception());
                      }
                      return Mono.empty();
                    }))
        .then(
            Mono.fromSupplier(
                () ->
                    new QueryResult(
                        List.copyOf(columns),
                        rows,
                        affected.get(),
                        truncated[0],
                        (System.nanoTime() - started) / 1_000_000)));
  }

  private static List<QueryResult.Column> columns(RowMetadata metadata) {
    List<QueryResult.Column> out = new ArrayList<>();
    metadata
        .getColumnMetadatas()
        .forEach(
            c ->
                out.add(
                    new QueryResult.Column(
                        c.getName(), c.getType().getName().toLowerCase(java.util.Locale.ROOT))));
    return out;
  }

  private static List<Object> values(Readable row, int count) {
    List<Object> values = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      values.add(value(row, i));
    }
    return values;
  }

  /** The driver's Java value; json as {@link JsonValue}; a type without a codec as its text. */
  private static Object value(Readable row, int index) {
    Object value;
    try {
      value = row.get(index);
    } catch (IllegalArgumentException | UnsupportedOperationException noCodec) {
      value = row.get(index, String.class);
    }
    return value instanceof Json json ? new JsonValue(json.asString()) : value;
  }

  /** Roughly the bytes a value takes in a JSON answer. */
  private static long estimate(List<Object> values) {
    long total = 2;
    for (Object value : values) {
      total += estimate(value) + 1;
    }
    return total;
  }

  private static long estimate(Object value) {
    if (value == null) {
      return 4;
    }
    if (value instanceof String s) {
      return s.length() + 2L;
    }
    if (value instanceof byte[] b) {
      return b.length * 4L / 3 + 4;
    }
    if (value instanceof JsonValue j) {
      return j.json().length();
    }
    if (value.getClass().isArray()) {
      long sum = 2;
      for (int i = 0; i < Array.getLength(value); i++) {
        sum += estimate(Array.get(value, i)) + 1;
      }
      return sum;
    }
    return value.toString().length() + 2L;
  }

  /**
   * A bind value: text and NULL as PostgreSQL's "unspecified" type, so the server infers it from
   * the statement (a string compares with a uuid or timestamp column); jsonb as jsonb.
   */
  private static Object parameter(Object value) {
    if (value == null) {
      return Parameters.in(PostgresqlObjectId.UNSPECIFIED);
    }
    if (value instanceof String text) {
      return Parameters.in(PostgresqlObjectId.UNSPECIFIED, text);
    }
    if (value instanceof JsonValue json) {
      return Json.of(json.json());
    }
    if (value instanceof byte[] bytes) {
      return java.nio.ByteBuffer.wrap(bytes);
    }
    return value;
  }

  /** Per-instance statement timings: {@code cumulus_rds_statements_seconds{instance,outcome}}. */
  private void record(Instance instance, String outcome, long started) {
    Timer.builder("cumulus.rds.statements")
        .description("Statements run on managed PostgreSQL instances")
        .tag("instance", instance.serviceId())
        .tag("outcome", outcome)
        .register(meters)
        .record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
  }

  private Mono<Void> reportIfSlow(Instance instance, String sql, QueryResult result) {
    if (result.elapsedMillis() < properties.limits().slowStatement().toMillis()) {
      return Mono.empty();
    }
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("serviceId", instance.serviceId());
    data.put("durationMs", result.elapsedMillis());
    data.put("sql", sql.length() > SLOW_SQL_CHARS ? sql.substring(0, SLOW_SQL_CHARS) : sql);
    return events
        .publish(instance.tenantId(), instance.serviceId(), "statement", "slow", data)
        .onErrorResume(e -> Mono.empty());
  }
}
