package dev.cumulus.auth.quota.application;

import dev.cumulus.auth.common.application.Caller;
import dev.cumulus.auth.quota.domain.Quota;
import dev.cumulus.auth.quota.persistence.QuotaRepository;
import dev.cumulus.auth.quota.persistence.StorageUsageClient;
import dev.cumulus.auth.tenant.application.TenantEvents;
import dev.cumulus.auth.tenant.application.TenantService;
import dev.cumulus.platform.error.ApiException;
import dev.cumulus.platform.error.ErrorKind;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;

/** A tenant's limits, what it holds against them, and the checks before it holds more. */
@Service
@EnableConfigurationProperties(QuotaProperties.class)
public class QuotaService {

  /** What auth-service counts; the storage limits are counted by storage-service. */
  public enum Counted {
    INSTANCES("instances", Quota::instances),
    API_KEYS("api_keys", Quota::apiKeys),
    ACCESS_KEYS("access_keys", Quota::accessKeys);

    final String jsonName;
    final Function<Quota, Long> limit;

    Counted(String name, Function<Quota, Long> limit) {
      this.jsonName = name;
      this.limit = limit;
    }
  }

  /** A tenant's limits and usage, as {@code GET /api/usage} shows them. */
  public record Usage(
      String tenantId, String plan, Map<String, Long> quotas, Map<String, Long> used) {}

  private final QuotaRepository quotas;
  private final TenantService tenants;
  private final QuotaProperties plans;
  private final StorageUsageClient storage;
  private final TenantEvents events;
  private final TransactionalOperator tx;

  public QuotaService(
      QuotaRepository quotas,
      TenantService tenants,
      QuotaProperties plans,
      StorageUsageClient storage,
      TenantEvents events,
      TransactionalOperator tx) {
    this.quotas = quotas;
    this.tenants = tenants;
    this.plans = plans;
    this.storage = storage;
    this.events = events;
    this.tx = tx;
  }

  /** A tenant's plan (its id) and effective limits. */
  public record PlanQuota(String plan, Quota quota) {}

  /** The tenant's limits: its plan's, with its own overrides. */
  public Mono<Quota> of(String tenantId) {
    return planAndQuota(tenantId).map(PlanQuota::quota);
  }

  /** The tenant's plan and limits: services that size things by plan need the plan's name too. */
  public Mono<PlanQuota> planAndQuota(String tenantId) {
    return tenants
        .findById(tenantId)
        .switchIfEmpty(Mono.error(() -> ApiException.notFound("No tenant " + tenantId)))
        .zipWith(quotas.overrides(tenantId).defaultIfEmpty(Map.of()))
        .map(t -> new PlanQuota(t.getT1().plan().id(), plans.of(t.getT1().plan()).with(t.getT2())));
  }

  /**
   * Fails with 403 QuotaExceeded when the tenant already holds its limit of {@code what}. Call it
   * inside the transaction that creates the thing: it locks the tenant's row until the commit, so
   * concurrent creations count one after the other.
   */
  public Mono<Void> requireRoomFor(String tenantId, Counted what) {
    return quotas
        .lockTenant(tenantId)
        .then(Mono.zip(of(tenantId), count(tenantId, what)))
        .flatMap(
            t -> {
              long limit = what.limit.apply(t.getT1());
              return t.getT2() < limit
                  ? Mono.<Void>empty()
                  : Mono.error(exceeded(what.jsonName, limit));
            });
  }

  /**
   * The tenant's limits and what it holds, by the same names; {@code buckets} and {@code
   * stored_bytes} (stored plus parked multipart bytes, as the quota counts them) come from
   * storage-service and are absent while it cannot answer.
   */
  public Mono<Usage> usage(Caller caller) {
    String tenantId = caller.tenantId();
    return Mono.zip(
            tenants.findById(tenantId),
            of(tenantId),
            count(tenantId, Counted.INSTANCES),
            count(tenantId, Counted.API_KEYS),
            count(tenantId, Counted.ACCESS_KEYS),
            storage.of(tenantId))
        .map(
            t -> {
              Map<String, Long> used = new LinkedHashMap<>();
              used.put(Counted.INSTANCES.jsonName, t.getT3());
              used.put(Counted.API_KEYS.jsonName, t.getT4());
              used.put(Counted.ACCESS_KEYS.jsonName, t.getT5());
              t.getT6()
                  .ifPresent(
                      stored -> {
                        used.put("buckets", stored.buckets());
                        used.put("stored_bytes", stored.storedBytes() + stored.parkedBytes());
                      });
              return new Usage(tenantId, t.getT1().plan().id(), t.getT2().byName(), used);
            });
  }

  /** A platform admin sets a tenant's own limits; an empty map returns it to its plan's. */
  public Mono<Quota> setOverrides(Caller caller, String tenantId, Map<String, Long> overrides) {
    caller.requirePlatformAdmin();
    for (Map.Entry<String, Long> entry : overrides.entrySet()) {
      if (!Quota.isLimit(entry.getKey())) {
        return Mono.error(
            ApiException.badRequest(
                "Unknown limit '"
                    + entry.getKey()
                    + "'; limits are "
                    + List.copyOf(new Quota(0, 0, 0, 0, 0, 0).byName().keySet())));
      }
      if (entry.getValue() == null || entry.getValue() < 0) {
        return Mono.error(ApiException.badRequest(entry.getKey() + " must be a number >= 0"));
      }
    }
    return of(tenantId)
        .then(quotas.setOverrides(tenantId, overrides))
        .then(of(tenantId))
        .flatMap(quota -> events.quotasChanged(tenantId, quota.byName()).thenReturn(quota))
        .as(tx::transactional);
  }

  private Mono<Long> count(String tenantId, Counted what) {
    return switch (what) {
      case INSTANCES -> quotas.countInstances(tenantId);
      case API_KEYS -> quotas.countApiKeys(tenantId);
      case ACCESS_KEYS -> quotas.countAccessKeys(tenantId);
    };
  }

  private static ApiException exceeded(String limit, long value) {
    return new ApiException(
        ErrorKind.FORBIDDEN,
        "Quota exceeded: your plan allows " + value + " " + limit.replace('_', ' '),
        "QuotaExceeded",
        "Delete some, or ask a platform administrator to raise the '" + limit + "' limit",
        Map.of(),
        null);
  }
}
