package dev.cumulus.integration.common;

import dev.cumulus.platform.error.ApiException;
import dev.cumulus.platform.security.CumulusPrincipal;
import reactor.core.publisher.Mono;

/**
 * Seed 003's tenancy rule, made again here as the gateway makes it: the caller acts in the tenant
 * of its token; an {@code X-Tenant-Domain} naming another tenant is refused (403) unless the caller
 * is a platform administrator.
 */
public final class TenantScope {

  public static final String HEADER = "X-Tenant-Domain";

  private TenantScope() {}

  public static Mono<CumulusPrincipal> caller(String tenantDomain) {
    return CumulusPrincipal.current()
        .flatMap(
            p -> {
              if (p.tenantId() == null) {
                return Mono.error(ApiException.forbidden("The caller belongs to no tenant"));
              }
              if (tenantDomain != null
                  && !tenantDomain.isBlank()
                  && !tenantDomain.equals(p.tenantDomain())
                  && !p.isPlatformAdmin()) {
                return Mono.error(
                    ApiException.forbidden("Access denied to tenant '" + tenantDomain + "'"));
              }
              return Mono.just(p);
            });
  }
}
