package dev.cumulus.function.functions.persistence;

import dev.cumulus.function.functions.domain.InvocationRecord;
import dev.cumulus.function.functions.domain.InvocationStats;
import dev.cumulus.platform.db.Rows;
import io.r2dbc.spi.Readable;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The {@code invocation_records} table, and the metrics computed from it. */
@Repository
public class InvocationRecordRepository {

  private static final String STATS =
      "count(*) FILTER (WHERE outcome <> 'throttled') AS invocations,"
          + " count(*) FILTER (WHERE outcome = 'error') AS errors,"
          + " count(*) FILTER (WHERE outcome = 'throttled') AS throttles,"
          + " count(init_ms) AS cold_starts,"
          + " percentile_cont(0.5) WITHIN GROUP (ORDER BY duration_ms) AS p50,"
          + " percentile_cont(0.95) WITHIN GROUP (ORDER BY duration_ms) AS p95,"
          + " max(duration_ms) AS max_duration";

  private final DatabaseClient db;

  public InvocationRecordRepository(DatabaseClient db) {
    this.db = db;
  }

  /**
   * Inserts invocations in one statement, whatever their number (one statement text, so it is
   * prepared once).
   */
  public Mono<Void> insertAll(List<InvocationRecord> records) {
    int n = records.size();
    String[] services = new String[n];
    String[] functions = new String[n];
    OffsetDateTime[] times = new OffsetDateTime[n];
    String[] types = new String[n];
    String[] outcomes = new String[n];
    Double[] durations = new Double[n];
    Double[] inits = new Double[n];
    for (int i = 0; i < n; i++) {
      InvocationRecord r = records.get(i);
      services[i] = r.serviceId();
      functions[i] = r.functionName();
      times[i] = r.at().atOffset(ZoneOffset.UTC);
      types[i] = r.invocationType();
      outcomes[i] = r.outcome();
      durations[i] = r.durationMs();
      inits[i] = r.initMs();
    }
    return db.sql(
            "INSERT INTO invocation_records (service_id, function_name, at, invocation_type,"
                + " outcome, duration_ms, init_ms) SELECT * FROM unnest(:services::text[],"
                + " :functions::text[], :times::timestamptz[], :types::text[], :outcomes::text[],"
                + " :durations::float8[], :inits::float8[])")
        .bind("services", services)
        .bind("functions", functions)
        .bind("times", times)
        .bind("types", types)
        .bind("outcomes", outcomes)
        .bind("durations", durations)
        .bind("inits", inits)
        .then();
  }

  /** The totals of [start, end). */
  public Mono<InvocationStats> total(
      String serviceId, String functionName, Instant start, Instant end) {
    return db.sql(
            "SELECT "
                + STATS
                + " FROM invocation_records WHERE service_id = :service"
                + " AND function_name = :function AND at >= :start AND at < :end")
        .bind("service", serviceId)
        .bind("function", functionName)
        .bind("start", start)
        .bind("end", end)
        .map(row -> map(row, start))
        .one();
  }

  /** Windows of {@code period} from {@code start} that had invocations, in order. */
  public Flux<InvocationStats> windows(
      String serviceId, String functionName, Instant start, Instant end, Duration period) {
    return db.sql(
            "SELECT date_bin(make_interval(secs => :period), at, :start) AS window_start, "
                + STATS
                + " FROM invocation_records WHERE service_id = :service"
                + " AND function_name = :function AND at >= :start AND at < :end"
                + " GROUP BY window_start ORDER BY window_start")
        .bind("service", serviceId)
        .bind("function", functionName)
        .bind("start", start)
        .bind("end", end)
        .bind("period", (double) period.toSeconds())
        .map(row -> map(row, Rows.instant(row, "window_start")))
        .all();
  }

  public Mono<Void> deleteFunction(String serviceId, String functionName) {
    return db.sql(
            "DELETE FROM invocation_records WHERE service_id = :service AND function_name = :function")
        .bind("service", serviceId)
        .bind("function", functionName)
        .then();
  }

  public Mono<Void> deleteAll(String serviceId) {
    return db.sql("DELETE FROM invocation_records WHERE service_id = :service")
        .bind("service", serviceId)
        .then();
  }

  private static InvocationStats map(Readable row, Instant start) {
    return new InvocationStats(
        start,
        row.get("invocations", Long.class),
        row.get("errors", Long.class),
        row.get("throttles", Long.class),
        row.get("cold_starts", Long.class),
        row.get("p50", Double.class),
        row.get("p95", Double.class),
        row.get("max_duration", Double.class));
  }
}
