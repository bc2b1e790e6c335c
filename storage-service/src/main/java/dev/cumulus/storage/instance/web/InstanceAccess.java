package dev.cumulus.storage.instance.web;

import dev.cumulus.platform.security.CumulusPrincipal;
import dev.cumulus.storage.instance.application.InstanceService;
import dev.cumulus.storage.instance.domain.StorageInstance;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Defence in depth for {@code /api/s3storage/{tenantId}/{serviceId}/**}: the gateway already checks
 * tenancy, and this service checks again against the verified token. The path tenant must be the
 * caller's (unless a platform admin), an instance-bound API key reaches only its instance, and the
 * instance must exist in that tenant.
 */
@Component
public class InstanceAccess {

  private final InstanceService instances;

  public InstanceAccess(InstanceService instances) {
    this.instances = instances;
  }

  public Mono<StorageInstance> require(String tenantId, String serviceId) {
    return CumulusPrincipal.current()
        .doOnNext(principal -> principal.requireInstanceAccess(tenantId, serviceId))
        .then(instances.require(tenantId, serviceId));
  }
}
