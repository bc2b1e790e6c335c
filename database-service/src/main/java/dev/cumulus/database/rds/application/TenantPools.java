package dev.cumulus.database.rds.application;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import dev.cumulus.database.rds.config.RdsProperties;
import dev.cumulus.database.rds.domain.PlanLimits;
import dev.cumulus.database.rds.domain.RdsInstance;
import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.pool.ConnectionPoolConfiguration;
import io.r2dbc.postgresql.PostgresqlConnectionConfiguration;
import io.r2dbc.postgresql.PostgresqlConnectionFactory;
import java.time.Duration;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * One small connection pool per instance, logged in as the instance's own role (never the admin),
 * so PostgreSQL itself keeps a tenant inside its database. A pool unused for {@code pool-idle-time}
 * is closed; a rotated password or a dropped instance closes it at once. Each pool carries the
 * instance's plan limits, which every use may have checked again (RdsLimits).
 */
@Component
public class TenantPools implements DisposableBean {

  /** An instance's pool and its limits as last checked. */
  public static final class InstancePool {
    private final ConnectionPool pool;
    private volatile RdsInstance instance;

    InstancePool(ConnectionPool pool, RdsInstance instance) {
      this.pool = pool;
      this.instance = instance;
    }

    public ConnectionPool pool() {
      return pool;
    }

    public PlanLimits limits() {
      return instance.limits();
    }

    /** Over its plan's storage limit: the API runs its statements READ ONLY (StorageCap). */
    public boolean storageExceeded() {
      return instance.storageExceeded();
    }

    /** The plan the limits come from; null while auth-service has not said. */
    public String plan() {
      return instance.plan();
    }
  }

  /** The application_name of the service's sessions, as pg_stat_activity shows them. */
  static final String APPLICATION_NAME = "cumulus-rds";

  private final RdsProperties properties;
  private final RdsInstances instances;
  private final RdsLimits limits;
  private final Cache<String, InstancePool> pools;

  public TenantPools(
      RdsProperties properties,
      RdsInstances instances,
      RdsLimits limits,
      RdsStorageCap storageCap) {
    this.properties = properties;
    this.instances = instances;
    this.limits = limits;
    this.pools =
        Caffeine.newBuilder()
            .expireAfterAccess(properties.limits().poolIdleTime())
            .removalListener(
                (String id, InstancePool open, RemovalCause cause) -> {
                  if (open != null) {
                    open.pool.dispose();
                  }
                })
            .build();
    instances.onCredentialsChanged(pools::invalidate);
    // Made read-only or writable again: the pool's sessions were ended; new ones, new state.
    storageCap.onChanged(pools::invalidate);
    limits.onChecked(
        checked -> {
          InstancePool open = pools.getIfPresent(checked.serviceId());
          if (open != null) {
            open.instance = checked;
          }
        });
  }

  /** The pool of an instance; its plan is checked again in the background when that is due. */
  public Mono<InstancePool> pool(String serviceId) {
    limits.recheckSoon(serviceId);
    InstancePool cached = pools.getIfPresent(serviceId);
    if (cached != null) {
      return Mono.just(cached);
    }
    return instances.instance(serviceId).map(rds -> pools.get(serviceId, id -> create(rds)));
  }

  private InstancePool create(RdsInstance rds) {
    RdsInstances.Credentials credentials = instances.credentials(rds);
    RdsProperties.Limits shared = properties.limits();
    PostgresqlConnectionConfiguration config =
        PostgresqlConnectionConfiguration.builder()
            .host(properties.admin().host())
            .port(properties.admin().port())
            .database(credentials.database())
            .username(credentials.username())
            .password(credentials.password())
            .applicationName(APPLICATION_NAME)
            .build();
    ConnectionPool pool =
        new ConnectionPool(
            ConnectionPoolConfiguration.builder(new PostgresqlConnectionFactory(config))
                .initialSize(0)
                // The role's connection limit counts the pool's sessions too.
                .maxSize(Math.min(shared.poolSize(), rds.limits().connectionLimit()))
                .maxIdleTime(shared.poolIdleTime())
                .maxAcquireTime(Duration.ofSeconds(10))
                // A request cancelled mid-transaction must not hand its transaction to the next.
                .preRelease(
                    connection ->
                        Mono.from(connection.rollbackTransaction())
                            .onErrorResume(e -> Mono.empty()))
                .build());
    return new InstancePool(pool, rds);
  }

  @Override
  public void destroy() {
    pools.invalidateAll();
    pools.cleanUp();
  }
}
