package dev.cumulus.auth.quota.domain;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a tenant may hold (docs/identity.md, "Quotas"): its plan's limits, each overridable per
 * tenant by a platform administrator. Storage-service enforces the storage limits, auth-service the
 * rest.
 *
 * @param instances service instances
 * @param apiKeys API keys created by hand (each instance's own key is not counted)
 * @param accessKeys active S3-style access key pairs
 * @param buckets buckets across the tenant's s3storage instances
 * @param storedBytes bytes stored across them
 * @param maxObjectBytes the largest single upload (S3's own limit is 5 GiB)
 */
public record Quota(
    long instances,
    long apiKeys,
    long accessKeys,
    long buckets,
    long storedBytes,
    long maxObjectBytes) {

  /** The limits by their JSON names (snake case), as the API shows and overrides name them. */
  public Map<String, Long> byName() {
    Map<String, Long> limits = new LinkedHashMap<>();
    limits.put("instances", instances);
    limits.put("api_keys", apiKeys);
    limits.put("access_keys", accessKeys);
    limits.put("buckets", buckets);
    limits.put("stored_bytes", storedBytes);
    limits.put("max_object_bytes", maxObjectBytes);
    return limits;
  }

  /** These limits with some replaced; unknown names are refused before they get here. */
  public Quota with(Map<String, Long> overrides) {
    Map<String, Long> limits = byName();
    overrides.forEach(
        (name, value) -> {
          if (limits.containsKey(name) && value != null) {
            limits.put(name, value);
          }
        });
    return new Quota(
        limits.get("instances"),
        limits.get("api_keys"),
        limits.get("access_keys"),
        limits.get("buckets"),
        limits.get("stored_bytes"),
        limits.get("max_object_bytes"));
  }

  /** Whether {@code name} is one of the limits. */
  public static boolean isLimit(String name) {
    return new Quota(0, 0, 0, 0, 0, 0).byName().containsKey(name);
  }
}
