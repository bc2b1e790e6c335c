package dev.cumulus.database.rds.application;

import dev.cumulus.platform.events.ReceivedEvent;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * A tenant's plan or quotas changed: its instances get the plan's limits now, not with their next
 * API call, and their size is checked against the (maybe new) storage limit.
 *
 * <p>The events are auth-service's tenant events, {@code dev.cumulus.auth.tenant.<verb>.v1} on
 * topic {@value #TOPIC} keyed by tenant id (binding {@code rdsTenantEvents-in-0}), with {@code
 * {"tenantId", "plan"}} as data: auth-service's {@code plan-changed} and {@code quotas-changed}
 * (docs/rds.md, "Plan changes"); the {@code plan-check-interval} check still catches what an event
 * missed. Other event types are skipped; the plan applied is auth-service's answer, the event's
 * only while auth-service cannot answer (RdsLimits#applyToTenant).
 */
@Component
public class RdsPlanEvents {

  public static final String TOPIC = "cumulus.tenants";
  static final String TYPE_PREFIX = "dev.cumulus.auth.tenant.";

  private static final Logger log = LoggerFactory.getLogger(RdsPlanEvents.class);

  private final RdsLimits limits;
  private final RdsStorageCap storageCap;
  private final ObjectMapper json;

  public RdsPlanEvents(RdsLimits limits, RdsStorageCap storageCap, ObjectMapper json) {
    this.limits = limits;
    this.storageCap = storageCap;
    this.json = json;
  }

  public Mono<Void> handle(ReceivedEvent event) {
    if (event.type() == null || !event.type().startsWith(TYPE_PREFIX)) {
      return Mono.empty();
    }
    JsonNode data = json.readTree(event.data() == null ? "{}" : event.data());
    String tenantId =
        Optional.ofNullable(data.path("tenantId").asString(null)).orElse(event.tenantId());
    if (tenantId == null || tenantId.isBlank()) {
      log.warn("Tenant event {} ({}) names no tenant: skipped", event.id(), event.type());
      return Mono.empty();
    }
    String plan = data.path("plan").asString(null);
    return limits
        .applyToTenant(tenantId, plan == null || plan.isBlank() ? null : plan)
        .concatMap(
            rds ->
                storageCap
                    .check(rds.serviceId())
                    .onErrorResume(
                        e -> {
                          // The storage worker checks it again within its interval.
                          log.warn(
                              "Storage check of rdsdatabase {} after a plan change failed: {}",
                              rds.serviceId(),
                              e.toString());
                          return Mono.empty();
                        }))
        .then();
  }
}
