package dev.cumulus.database.rds.application;

import java.util.Optional;
import reactor.core.publisher.Mono;

/** Which plan a tenant is on: auth-service knows (AuthServiceTenantPlans). */
public interface TenantPlans {

  /**
   * The tenant's plan; empty when it is unknown (no such tenant); fails when the answer cannot be
   * had now (auth-service unreachable), and callers keep what they had.
   */
  Mono<Optional<String>> planOf(String tenantId);
}
