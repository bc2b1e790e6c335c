package dev.cumulus.database;

import dev.cumulus.database.nosql.application.NoSqlInstances;
import dev.cumulus.database.rds.application.RdsInstances;
import dev.cumulus.platform.instance.Instance;
import dev.cumulus.platform.instance.InstanceProvisioner;
import org.springframework.context.annotation.Primary;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/** The provisioner the instance registry calls: each instance type to its own feature. */
@Component
@Primary
class DatabaseInstances implements InstanceProvisioner {

  private final NoSqlInstances nosql;
  private final RdsInstances rds;

  DatabaseInstances(NoSqlInstances nosql, RdsInstances rds) {
    this.nosql = nosql;
    this.rds = rds;
  }

  @Override
  public Mono<Void> provision(Instance instance) {
    return forType(instance).provision(instance);
  }

  @Override
  public Mono<Void> deprovision(Instance instance) {
    return forType(instance).deprovision(instance);
  }

  private InstanceProvisioner forType(Instance instance) {
    return RdsInstances.TYPE.equalsIgnoreCase(instance.serviceType()) ? rds : nosql;
  }
}
