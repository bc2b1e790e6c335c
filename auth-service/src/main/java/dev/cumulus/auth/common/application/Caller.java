package dev.cumulus.auth.common.application;

import dev.cumulus.auth.common.domain.Actor;
import dev.cumulus.platform.error.ApiException;
import dev.cumulus.platform.security.CumulusPrincipal;

/**
 * The authenticated caller and the tenant the request acts on: the caller's own tenant, or — for a
 * platform administrator sending {@code X-Tenant-Domain} — the tenant that header names.
 */
public record Caller(CumulusPrincipal principal, String tenantId, String tenantDomain) {

  public boolean platformAdmin() {
    return principal.isPlatformAdmin();
  }

  /** Administrator of the tenant acted on (platform administrators administer every tenant). */
  public boolean tenantAdmin() {
    return platformAdmin() || principal.hasRole("admin");
  }

  public Caller requireTenantAdmin() {
    if (!tenantAdmin()) {
      throw ApiException.forbidden("This operation needs the admin role");
    }
    return this;
  }

  public Caller requirePlatformAdmin() {
    if (!platformAdmin()) {
      throw ApiException.forbidden("This operation needs a platform administrator");
    }
    return this;
  }

  /** The user's numeric id, or null for an API-key token. */
  public Long userId() {
    String subject = principal.subject();
    if (subject == null || principal.apiKeyId() != null) {
      return null;
    }
    try {
      return Long.valueOf(subject);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  public Actor actor() {
    String name = principal.username() != null ? principal.username() : principal.subject();
    return new Actor(userId(), name);
  }
}
