package dev.cumulus.function.functions.application;

import dev.cumulus.platform.instance.Instance;
import dev.cumulus.platform.instance.InstanceProvisioner;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * A function instance needs nothing up front; deleting one deletes its functions, their queued
 * invocations and metrics, and stops their warm processes.
 */
@Component
public class FunctionInstances implements InstanceProvisioner {

  private final FunctionService functions;

  public FunctionInstances(FunctionService functions) {
    this.functions = functions;
  }

  @Override
  public Mono<Void> provision(Instance instance) {
    return Mono.empty();
  }

  @Override
  public Mono<Void> deprovision(Instance instance) {
    return functions.deleteAll(instance.serviceId());
  }
}
