package dev.cumulus.database.nosql.application;

import dev.cumulus.platform.instance.Instance;
import dev.cumulus.platform.instance.InstanceProvisioner;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * database-service's instances: a nosqldatabase instance needs nothing at creation (its tables are
 * rows) and loses its tables and items at deletion. rdsdatabase instances go to the rds feature
 * ({@code DatabaseInstances} routes each type).
 */
@Component
public class NoSqlInstances implements InstanceProvisioner {

  static final String NOSQL = "nosqldatabase";

  private final TableService tables;

  public NoSqlInstances(TableService tables) {
    this.tables = tables;
  }

  @Override
  public Mono<Void> provision(Instance instance) {
    return Mono.empty();
  }

  @Override
  public Mono<Void> deprovision(Instance instance) {
    return NOSQL.equals(instance.serviceType()) ? tables.deleteInstance(instance) : Mono.empty();
  }
}
