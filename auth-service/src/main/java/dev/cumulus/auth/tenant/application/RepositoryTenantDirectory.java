package dev.cumulus.auth.tenant.application;

import dev.cumulus.auth.common.application.TenantDirectory;
import dev.cumulus.auth.tenant.persistence.TenantRepository;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/** The tenant feature's answer to {@code common}'s {@link TenantDirectory}. */
@Component
class RepositoryTenantDirectory implements TenantDirectory {

  private final TenantRepository tenants;

  RepositoryTenantDirectory(TenantRepository tenants) {
    this.tenants = tenants;
  }

  @Override
  public Mono<KnownTenant> findByDomain(String domain) {
    return tenants
        .findByDomain(domain)
        .map(tenant -> new KnownTenant(tenant.id(), tenant.domain()));
  }
}
