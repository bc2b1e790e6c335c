package dev.cumulus.database.rds.application;

import dev.cumulus.platform.authclient.AuthServiceClient;
import java.util.Optional;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * A tenant's plan from auth-service's internal quota answer ({@code GET
 * /internal/tenants/{id}/quota}).
 */
@Component
class AuthServiceTenantPlans implements TenantPlans {

  private final AuthServiceClient authService;

  AuthServiceTenantPlans(AuthServiceClient authService) {
    this.authService = authService;
  }

  @Override
  public Mono<Optional<String>> planOf(String tenantId) {
    return authService
        .tenantQuota(tenantId)
        .map(found -> found.map(AuthServiceClient.TenantQuota::plan));
  }
}
