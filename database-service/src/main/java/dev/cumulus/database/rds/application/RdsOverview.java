package dev.cumulus.database.rds.application;

import dev.cumulus.database.rds.config.RdsProperties;
import dev.cumulus.database.rds.domain.PlanLimits;
import dev.cumulus.database.rds.domain.QueryOptions;
import dev.cumulus.platform.instance.Instance;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/** The seed's {@code info} and {@code metrics}: read by the instance's role from pg_stat_*. */
@Component
public class RdsOverview {

  private static final String INFO =
      """
      SELECT current_setting('server_version') AS version, current_database() AS database,
             current_user AS username, pg_database_size(current_database()) AS size_bytes,
             (SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()) AS connections
      """;

  private static final String METRICS =
      """
      SELECT d.numbackends AS connections, d.xact_commit, d.xact_rollback, d.blks_read, d.blks_hit,
             d.tup_returned, d.tup_fetched, d.tup_inserted, d.tup_updated, d.tup_deleted,
             d.deadlocks, d.temp_bytes, d.conflicts, pg_database_size(current_database()) AS size_bytes,
             (SELECT count(*) FROM pg_stat_activity a WHERE a.datname = current_database()
                AND a.state = 'active') AS active_connections,
             (SELECT count(*) FROM pg_stat_activity a WHERE a.datname = current_database()
                AND a.state LIKE 'idle%') AS idle_connections
      FROM pg_stat_database d WHERE d.datname = current_database()
      """;

  private final SqlRunner runner;
  private final TenantPools pools;
  private final RdsProperties properties;

  public RdsOverview(SqlRunner runner, TenantPools pools, RdsProperties properties) {
    this.runner = runner;
    this.pools = pools;
    this.properties = properties;
  }

  /** What the database says of itself, the endpoint, and the plan's limits (beyond the seed). */
  public Mono<Map<String, Object>> info(Instance instance) {
    return one(instance, INFO)
        .zipWith(pools.pool(instance.serviceId()))
        .map(
            t -> {
              Map<String, Object> info = new LinkedHashMap<>(t.getT1());
              PlanLimits limits = t.getT2().limits();
              info.put("host", properties.endpointHost());
              info.put("port", properties.endpointPort());
              info.put("maxConnections", limits.connectionLimit());
              info.put("statementTimeoutMs", limits.statementTimeout().toMillis());
              info.put("plan", t.getT2().plan());
              info.put("workMem", limits.workMem());
              info.put("tempFileLimit", limits.tempFileLimit());
              info.put("storageLimit", limits.storageLimit());
              info.put("storageLimitBytes", limits.storageLimitBytes());
              info.put("storageExceeded", t.getT2().storageExceeded());
              return info;
            });
  }

  public Mono<Map<String, Object>> metrics(Instance instance) {
    return one(instance, METRICS)
        .zipWith(pools.pool(instance.serviceId()))
        .map(
            t -> {
              Map<String, Object> row = t.getT1();
              Map<String, Object> metrics = new LinkedHashMap<>(row);
              long hit = ((Number) row.get("blks_hit")).longValue();
              long read = ((Number) row.get("blks_read")).longValue();
              metrics.put("cache_hit_ratio", hit + read == 0 ? 1.0 : (double) hit / (hit + read));
              metrics.put("max_connections", t.getT2().limits().connectionLimit());
              return metrics;
            });
  }

  private Mono<Map<String, Object>> one(Instance instance, String sql) {
    QueryOptions options = new QueryOptions(true, 1, Integer.MAX_VALUE);
    return runner
        .withTransaction(instance, true, c -> runner.execute(instance, c, sql, List.of(), options))
        .map(result -> RdsTables.maps(result).get(0));
  }
}
