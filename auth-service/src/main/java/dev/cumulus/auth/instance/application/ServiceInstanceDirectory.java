package dev.cumulus.auth.instance.application;

import dev.cumulus.auth.common.application.InstanceDirectory;
import dev.cumulus.auth.common.domain.InstanceRef;
import dev.cumulus.auth.instance.domain.ServiceInstance;
import dev.cumulus.auth.instance.persistence.ServiceInstanceRepository;
import java.util.UUID;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/** The instance feature's answer to {@code common}'s {@link InstanceDirectory}. */
@Component
class ServiceInstanceDirectory implements InstanceDirectory {

  private final ServiceInstanceRepository instances;

  ServiceInstanceDirectory(ServiceInstanceRepository instances) {
    this.instances = instances;
  }

  @Override
  public Mono<InstanceRef> findInTenant(String tenantId, UUID id) {
    return instances.findInTenant(tenantId, id).map(ServiceInstanceDirectory::ref);
  }

  static InstanceRef ref(ServiceInstance instance) {
    return new InstanceRef(
        instance.id(),
        instance.tenantId(),
        instance.serviceName(),
        instance.serviceType().displayName(),
        instance.serviceType().speaksAwsProtocols());
  }
}
