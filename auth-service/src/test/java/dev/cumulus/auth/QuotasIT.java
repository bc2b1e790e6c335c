package dev.cumulus.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cumulus.auth.quota.application.UsageHistoryProperties;
import dev.cumulus.auth.quota.application.UsageSampler;
import dev.cumulus.auth.quota.persistence.StorageUsageClient;
import dev.cumulus.auth.quota.persistence.UsageHistoryRepository;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.JsonNode;

/**
 * Plans limit what a tenant holds, not only how fast it asks (issue 21 §3): instances, API keys and
 * access key pairs are refused with 403 QuotaExceeded at the limit, the limits can be set per
 * tenant by a platform administrator, and the tenant sees its usage.
 */
class QuotasIT extends AuthIT {

  @Autowired UsageHistoryRepository usageHistory;
  @Autowired StorageUsageClient storageUsage;
  @Autowired UsageHistoryProperties usageHistoryProperties;
  @Autowired DatabaseClient db;

  private JsonNode setQuotas(String tenantId, Map<String, Object> overrides, int status) {
    return json(
        http.put()
            .uri("/api/admin/tenants/" + tenantId + "/quotas")
            .header("Authorization", "Bearer " + adminToken())
            .contentType(MediaType.APPLICATION_JSON)
            .bodyValue(overrides)
            .exchange()
            .expectStatus()
            .isEqualTo(status));
  }

  private static void assertQuotaExceeded(JsonNode refusal, String limit) {
    assertThat(refusal.path("error").path("code").asString()).isEqualTo("QuotaExceeded");
    assertThat(refusal.path("error").path("details").toString()).contains(limit);
  }

  @Test
  void instancesApiKeysAndAccessKeysStopAtTheTenantsLimits() {
    Tenant tenant = newTenant("free");
    String token = tenant.adminToken();
    JsonNode set =
        setQuotas(tenant.id(), Map.of("instances", 2, "api_keys", 1, "access_keys", 3), 200);
    assertThat(set.path("instances").asLong()).isEqualTo(2);
    assertThat(set.path("buckets").asLong()).isEqualTo(10); // the free plan's, untouched

    String storage =
        post("/api/services", token, Map.of("serviceName", "s1", "serviceType", "s3storage"), 201)
            .path("id")
            .asString();
    post("/api/services", token, Map.of("serviceName", "s2", "serviceType", "s3storage"), 201);
    assertQuotaExceeded(
        post("/api/services", token, Map.of("serviceName", "s3", "serviceType", "queue"), 403),
        "instances");

    post("/api/api-keys", token, Map.of("name", "ci"), 201);
    assertQuotaExceeded(post("/api/api-keys", token, Map.of("name", "two"), 403), "api_keys");

    // Two pairs came with the instances; one more fits.
    String pairs = "/api/services/" + storage + "/s3-credentials";
    post(pairs, token, Map.of(), 201);
    assertQuotaExceeded(post(pairs, token, Map.of(), 403), "access_keys");

    JsonNode usage = get("/api/usage", token, 200);
    assertThat(usage.path("plan").asString()).isEqualTo("free");
    assertThat(usage.path("quotas").path("instances").asLong()).isEqualTo(2);
    assertThat(usage.path("used").path("instances").asLong()).isEqualTo(2);
    assertThat(usage.path("used").path("api_keys").asLong()).isEqualTo(1);
    assertThat(usage.path("used").path("access_keys").asLong()).isEqualTo(3);
    // storage-service does not answer for this tenant: no storage numbers rather than wrong ones.
    assertThat(usage.path("used").has("buckets")).isFalse();
    assertThat(usage.path("used").has("stored_bytes")).isFalse();

    // Storage's count shows beside its limits, parked multipart bytes included.
    StorageUsageStandIn.set(tenant.id(), 4, 1_000, 24);
    JsonNode withStorage = get("/api/usage", token, 200).path("used");
    assertThat(withStorage.path("buckets").asLong()).isEqualTo(4);
    assertThat(withStorage.path("stored_bytes").asLong()).isEqualTo(1_024);

    // Raising the limit makes room at once.
    setQuotas(tenant.id(), Map.of("instances", 3), 200);
    post("/api/services", token, Map.of("serviceName", "s3", "serviceType", "queue"), 201);
  }

  /** Concurrent creations count one after the other: exactly the room left is used. */
  @Test
  void concurrentCreationsCannotSlipPastTheLimit() {
    Tenant tenant = newTenant("free");
    setQuotas(tenant.id(), Map.of("instances", 1), 200);
    List<Integer> statuses =
        Flux.range(0, 6)
            .parallel(6)
            .runOn(Schedulers.boundedElastic())
            .map(
                i ->
                    http.post()
                        .uri("/api/services")
                        .header("Authorization", "Bearer " + tenant.adminToken())
                        .contentType(MediaType.APPLICATION_JSON)
                        .bodyValue(Map.of("serviceName", "q" + i, "serviceType", "queue"))
                        .exchange()
                        .returnResult(String.class)
                        .getStatus()
                        .value())
            .sequential()
            .collectList()
            .block();
    assertThat(statuses).filteredOn(status -> status == 201).hasSize(1);
    assertThat(statuses).filteredOn(status -> status == 403).hasSize(5);
    assertThat(get("/api/usage", tenant.adminToken(), 200).path("used").path("instances").asLong())
        .isEqualTo(1);
  }

  @Test
  void onlyPlatformAdminsSetLimitsAndOnlyKnownOnes() {
    Tenant tenant = newTenant("pro");
    setQuotas(tenant.id(), Map.of("disk_space", 5), 400);
    setQuotas(tenant.id(), Map.of("instances", -1), 400);
    http.put()
        .uri("/api/admin/tenants/" + tenant.id() + "/quotas")
        .header("Authorization", "Bearer " + tenant.adminToken())
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(Map.of("instances", 1000))
        .exchange()
        .expectStatus()
        .isForbidden();
    assertThat(
            get("/api/usage", tenant.adminToken(), 200).path("quotas").path("instances").asLong())
        .isEqualTo(50);
  }

  /**
   * storage-service's view of a tenant's limits: the plan's with the overrides, behind the internal
   * secret like the signing-key lookup.
   */
  @Test
  void servicesReadTheEffectiveLimitsWithTheInternalSecretOnly() {
    Tenant tenant = newTenant("pro");
    String path = "/internal/tenants/" + tenant.id() + "/quota";
    http.get().uri(path).exchange().expectStatus().isUnauthorized();
    http.get()
        .uri(path)
        .header("X-Cumulus-Internal-Secret", "not-" + INTERNAL_SECRET)
        .exchange()
        .expectStatus()
        .isUnauthorized();
    // A tenant's own token is no credential here.
    http.get()
        .uri(path)
        .header("Authorization", "Bearer " + tenant.adminToken())
        .exchange()
        .expectStatus()
        .isUnauthorized();

    JsonNode plan = internalQuota(path, 200);
    assertThat(plan.path("tenantId").asString()).isEqualTo(tenant.id());
    assertThat(plan.path("plan").asString()).isEqualTo("pro");
    assertThat(plan.path("quotas").path("buckets").asLong()).isEqualTo(100);
    assertThat(plan.path("quotas").path("stored_bytes").asLong()).isEqualTo(500L << 30);
    assertThat(plan.path("quotas").path("max_object_bytes").asLong()).isEqualTo(5L << 30);

    setQuotas(tenant.id(), Map.of("buckets", 150, "stored_bytes", 1234), 200);
    JsonNode raised = internalQuota(path, 200);
    assertThat(raised.path("quotas").path("buckets").asLong()).isEqualTo(150);
    assertThat(raised.path("quotas").path("stored_bytes").asLong()).isEqualTo(1234);

    internalQuota("/internal/tenants/no-such-tenant-" + tenant.id() + "/quota", 404);
  }

  private JsonNode internalQuota(String path, int status) {
    return json(
        http.get()
            .uri(path)
            .header("X-Cumulus-Internal-Secret", INTERNAL_SECRET)
            .exchange()
            .expectStatus()
            .isEqualTo(status));
  }

  @Test
  void storageIsSampledHourlyOncePerTenantEvenByTwoReplicasAndOnlyItsTenantReadsIt() {
    Tenant tenant = newTenant("free");
    Tenant other = newTenant("free");
    StorageUsageStandIn.set(tenant.id(), 2, 5_000, 120);
    // Two replicas' samplers at once: one sample for the hour, whichever inserts first.
    UsageSampler one = new UsageSampler(usageHistory, storageUsage, usageHistoryProperties);
    UsageSampler two = new UsageSampler(usageHistory, storageUsage, usageHistoryProperties);
    Flux.merge(one.runOnce(), two.runOnce(), one.runOnce()).blockLast(Duration.ofSeconds(20));
    Long rows =
        db.sql("SELECT count(*) AS n FROM usage_history WHERE tenant_id = :t")
            .bind("t", tenant.id())
            .map(row -> row.get("n", Long.class))
            .one()
            .block();
    assertThat(rows).isEqualTo(1);

    // A sample past the retention goes at the next run.
    Instant old = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofDays(91));
    db.sql(
            "INSERT INTO usage_history (tenant_id, hour, stored_bytes, objects, buckets)"
                + " VALUES (:t, :h, 1, 1, 1)")
        .bind("t", tenant.id())
        .bind("h", old)
        .fetch()
        .rowsUpdated()
        .block();
    one.runOnce().block(Duration.ofSeconds(20));

    JsonNode history = get("/api/tenants/usage-history/?days=90", tenant.adminToken(), 200);
    assertThat(history.path("status").asString()).isEqualTo("success");
    JsonNode samples = history.path("data").path("samples");
    assertThat(samples).hasSize(1);
    assertThat(samples.get(0).path("stored_bytes").asLong()).isEqualTo(5_120);
    assertThat(samples.get(0).path("buckets").asLong()).isEqualTo(2);
    assertThat(Instant.parse(samples.get(0).path("hour").asString()))
        .isEqualTo(Instant.now().truncatedTo(ChronoUnit.HOURS));

    // Storage-service had nothing for the other tenant: no sample rather than a zero.
    assertThat(
            get("/api/tenants/usage-history/", other.adminToken(), 200)
                .path("data")
                .path("samples"))
        .isEmpty();
    // Another tenant's domain is refused; a range beyond the retention is a 400 in the envelope.
    http.get()
        .uri("/api/tenants/usage-history/")
        .header("Authorization", "Bearer " + other.adminToken())
        .header("X-Tenant-Domain", tenant.domain())
        .exchange()
        .expectStatus()
        .isForbidden();
    for (String days : List.of("0", "91", "week")) {
      JsonNode refusal = get("/api/tenants/usage-history/?days=" + days, tenant.adminToken(), 400);
      assertThat(refusal.path("status").asString()).isEqualTo("failure");
    }
  }
}
