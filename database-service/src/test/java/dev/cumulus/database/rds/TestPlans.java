package dev.cumulus.database.rds;

import dev.cumulus.database.rds.application.TenantPlans;
import dev.cumulus.platform.authclient.AuthServiceUnavailableException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import reactor.core.publisher.Mono;

/**
 * Tenants' plans as auth-service's internal quota answer would give them (auth-service's QuotasIT
 * tests the real answer; e2e runs both services): {@code free} unless a test sets another, and
 * "unreachable" on request, as an auth-service that is down.
 */
@TestConfiguration
public class TestPlans {

  private static final String UNREACHABLE = "";
  private static final Map<String, String> PLANS = new ConcurrentHashMap<>();

  /** The tenant's plan from now on. */
  public static void set(String tenantId, String plan) {
    PLANS.put(tenantId, plan);
  }

  /** auth-service cannot answer for this tenant until {@link #set} is called. */
  public static void unreachable(String tenantId) {
    PLANS.put(tenantId, UNREACHABLE);
  }

  @Bean
  @Primary
  TenantPlans testTenantPlans() {
    return tenantId -> {
      String plan = PLANS.getOrDefault(tenantId, "free");
      return plan.equals(UNREACHABLE)
          ? Mono.error(new AuthServiceUnavailableException("auth-service is down (test)"))
          : Mono.just(Optional.of(plan));
    };
  }
}
