package dev.cumulus.auth.common.application;

import dev.cumulus.platform.error.ApiException;
import dev.cumulus.platform.security.CumulusPrincipal;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Binds a request to one tenant. {@code X-Tenant-Domain}, when sent, must be the token's own tenant
 * domain (else 403), unless the caller is a platform administrator: then it selects the tenant to
 * act on.
 */
@Component
public class CallerResolver {

  private final TenantDirectory tenants;

  public CallerResolver(TenantDirectory tenants) {
    this.tenants = tenants;
  }

  public Mono<Caller> resolve(String tenantDomainHeader) {
    return CumulusPrincipal.current()
        .flatMap(
            principal -> {
              String requested = tenantDomainHeader == null ? "" : tenantDomainHeader.trim();
              if (requested.isEmpty() || requested.equalsIgnoreCase(principal.tenantDomain())) {
                return Mono.just(
                    new Caller(principal, principal.tenantId(), principal.tenantDomain()));
              }
              if (!principal.isPlatformAdmin()) {
                return Mono.error(
                    ApiException.forbidden("X-Tenant-Domain does not match your tenant"));
              }
              return tenants
                  .findByDomain(requested.toLowerCase(java.util.Locale.ROOT))
                  .switchIfEmpty(
                      Mono.error(ApiException.notFound("No tenant with domain " + requested)))
                  .map(tenant -> new Caller(principal, tenant.id(), tenant.domain()));
            });
  }

  /** The caller in their own tenant (no {@code X-Tenant-Domain}). */
  public Mono<Caller> resolve() {
    return resolve(null);
  }
}
