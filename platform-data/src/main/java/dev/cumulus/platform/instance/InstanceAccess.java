package dev.cumulus.platform.instance;

import dev.cumulus.platform.security.CumulusPrincipal;
import reactor.core.publisher.Mono;

/**
 * Defence in depth for {@code /api/<type>/{tenantId}/{serviceId}/**}: the gateway already checks
 * tenancy, and the service checks again against the verified token. The path tenant must be the
 * caller's (unless a platform admin), an instance-bound API key reaches only its instance, and the
 * instance must exist in that tenant and be ready.
 */
public class InstanceAccess {

  private final InstanceRegistry registry;

  public InstanceAccess(InstanceRegistry registry) {
    this.registry = registry;
  }

  /** The instance, for an authenticated caller allowed to use it. */
  public Mono<Instance> require(String tenantId, String serviceId) {
    return CumulusPrincipal.current()
        .doOnNext(principal -> principal.requireInstanceAccess(tenantId, serviceId))
        .then(registry.require(tenantId, serviceId));
  }
}
