package dev.cumulus.database.rds.application;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import dev.cumulus.database.rds.config.RdsProperties;
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
 * is closed; a rotated password or a dropped instance closes it at once.
 */
@Component
public class TenantPools implements DisposableBean {

  private final RdsProperties properties;
  private final RdsInstances instances;
  private final Cache<String, ConnectionPool> pools;

  public TenantPools(RdsProperties properties, RdsInstances instances) {
    this.properties = properties;
    this.instances = instances;
    this.pools =
        Caffeine.newBuilder()
            .expireAfterAccess(properties.limits().poolIdleTime())
            .removalListener(
                (String id, ConnectionPool pool, RemovalCause cause) -> {
                  if (pool != null) {
                    pool.dispose();
                  }
                })
            .build();
    instances.onCredentialsChanged(pools::invalidate);
  }

  /** The pool of an instance. */
  public Mono<ConnectionPool> pool(String serviceId) {
    ConnectionPool cached = pools.getIfPresent(serviceId);
    if (cached != null) {
      return Mono.just(cached);
    }
    return instances
        .credentials(serviceId)
        .map(credentials -> pools.get(serviceId, id -> create(credentials)));
  }

  private ConnectionPool create(RdsInstances.Credentials credentials) {
    RdsProperties.Limits limits = properties.limits();
    PostgresqlConnectionConfiguration config =
        PostgresqlConnectionConfiguration.builder()
            .host(properties.admin().host())
            .port(properties.admin().port())
            .database(credentials.database())
            .username(credentials.username())
            .password(credentials.password())
            .applicationName("cumulus-rds")
            .build();
    return new ConnectionPool(
        ConnectionPoolConfiguration.builder(new PostgresqlConnectionFactory(config))
            .initialSize(0)
            .maxSize(limits.poolSize())
            .maxIdleTime(limits.poolIdleTime())
            .maxAcquireTime(Duration.ofSeconds(10))
            // A request cancelled mid-transaction must not hand its transaction to the next one.
            .preRelease(
                connection ->
                    Mono.from(connection.rollbackTransaction()).onErrorResume(e -> Mono.empty()))
            .build());
  }

  @Override
  public void destroy() {
    pools.invalidateAll();
    pools.cleanUp();
  }
}
