package dev.cumulus.auth.quota.application;

import dev.cumulus.auth.quota.domain.Quota;
import dev.cumulus.auth.tenant.domain.Plan;
import java.util.HashMap;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Each plan's limits ({@code cumulus.auth.quotas.<plan>.<limit>}, e.g. {@code
 * cumulus.auth.quotas.free.stored-bytes=10737418240}); sizes in bytes. Unset limits keep the
 * defaults below. A tenant can have its own on top (platform admin: {@code PUT
 * /api/admin/tenants/{id}/quotas}).
 */
@ConfigurationProperties("cumulus.auth.quotas")
public record QuotaProperties(Limits free, Limits pro, Limits enterprise) {

  private static final long GIB = 1L << 30;

  static final Map<Plan, Quota> DEFAULTS =
      Map.of(
          Plan.FREE, new Quota(5, 5, 10, 10, 5 * GIB, 5 * GIB),
          Plan.PRO, new Quota(50, 50, 100, 100, 500 * GIB, 5 * GIB),
          Plan.ENTERPRISE, new Quota(500, 500, 1000, 1000, 10240 * GIB, 5 * GIB));

  /** One plan's configured limits; null ones keep the default. */
  public record Limits(
      Long instances,
      Long apiKeys,
      Long accessKeys,
      Long buckets,
      Long storedBytes,
      Long maxObjectBytes) {

    Map<String, Long> byName() {
      Map<String, Long> set = new HashMap<>();
      set.put("instances", instances);
      set.put("api_keys", apiKeys);
      set.put("access_keys", accessKeys);
      set.put("buckets", buckets);
      set.put("stored_bytes", storedBytes);
      set.put("max_object_bytes", maxObjectBytes);
      return set;
    }
  }

  public Quota of(Plan plan) {
    Limits configured =
        switch (plan) {
          case FREE -> free;
          case PRO -> pro;
          case ENTERPRISE -> enterprise;
        };
    Quota defaults = DEFAULTS.get(plan);
    return configured == null ? defaults : defaults.with(configured.byName());
  }
}
