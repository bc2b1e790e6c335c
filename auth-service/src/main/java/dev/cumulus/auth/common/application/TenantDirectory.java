package dev.cumulus.auth.common.application;

import reactor.core.publisher.Mono;

/**
 * Finds the tenant a platform administrator names in {@code X-Tenant-Domain}, for {@link
 * CallerResolver}. The tenant feature implements it: it owns tenants and itself builds on {@code
 * common}, so {@code common} may not call it.
 */
public interface TenantDirectory {

  /** The tenant with this (lower-case) domain, or empty. */
  Mono<KnownTenant> findByDomain(String domain);

  /** What a {@link Caller} needs of the tenant it acts on. */
  record KnownTenant(String id, String domain) {}
}
