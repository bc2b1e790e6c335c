package dev.cumulus.auth.tenant.application;

import dev.cumulus.platform.events.Outbox;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * A tenant's plan or its own quota overrides changed: {@code
 * dev.cumulus.auth.tenant.{plan-changed,quotas-changed}.v1} on topic {@value #TOPIC}, keyed by the
 * tenant id, written in the change's transaction. Services that enforce plan limits of their own
 * (database-service's managed PostgreSQL) apply them at once instead of at their next check.
 */
@Component
public class TenantEvents {

  public static final String TOPIC = "cumulus.tenants";

  private final Outbox outbox;

  public TenantEvents(Outbox outbox) {
    this.outbox = outbox;
  }

  /** data: {@code {"tenantId", "plan", "previousPlan"}}. */
  public Mono<Void> planChanged(String tenantId, String plan, String previousPlan) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("tenantId", tenantId);
    data.put("plan", plan);
    data.put("previousPlan", previousPlan);
    return outbox.appendForTenant(tenantId, TOPIC, tenantId, "tenant", "plan-changed", data).then();
  }

  /** data: {@code {"tenantId", "quotas"}}: the effective limits by name after the change. */
  public Mono<Void> quotasChanged(String tenantId, Map<String, Long> quotas) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("tenantId", tenantId);
    data.put("quotas", quotas);
    return outbox
        .appendForTenant(tenantId, TOPIC, tenantId, "tenant", "quotas-changed", data)
        .then();
  }
}
