package dev.cumulus.e2e;

import static dev.cumulus.e2e.Api.apiKey;
import static dev.cumulus.e2e.Api.bearer;
import static dev.cumulus.e2e.Api.none;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cumulus.platform.testsupport.TestJwtIssuer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.json.JsonMapper;

/**
 * Two tenants side by side behind the real gateway and auth-service: neither reaches the other's
 * paths, domain or rows; API keys work, stay inside their instance and stop working within seconds
 * of revocation; forged tokens are refused.
 */
class TenancyThroughGatewayIT {

  static final List<String> INSTANCE_TYPES =
      List.of("s3storage", "rdsdatabase", "nosqldatabase", "queue", "function", "kafka");

  static Cumulus cumulus;
  static Api api;
  static String acme;
  static String globex;
  static String acmeAdmin;
  static String globexAdmin;

  @BeforeAll
  static void twoTenants() {
    cumulus = Cumulus.get();
    api = new Api(cumulus.viaGateway());
    String platformAdmin = cumulus.adminToken(api);
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    acme = "acme-" + suffix;
    globex = "globex-" + suffix;
    createTenant(platformAdmin, acme, "pro");
    createTenant(platformAdmin, globex, "free");
    acmeAdmin = tenantAdmin(platformAdmin, acme);
    globexAdmin = tenantAdmin(platformAdmin, globex);
  }

  static void createTenant(String platformAdmin, String id, String plan) {
    Api.Answer tenant =
        api.post(
                "/api/admin/tenants",
                bearer(platformAdmin),
                Map.of("id", id, "domain", id, "name", id.toUpperCase(), "plan", plan))
            .expect(201);
    assertThat(tenant.body()).containsEntry("plan", plan);
  }

  /** A tenant admin created by the platform admin, logged in with seed 003's endpoint. */
  static String tenantAdmin(String platformAdmin, String tenant) {
    api.post(
            "/api/tenants/users/",
            bearer(platformAdmin, tenant),
            Map.of(
                "username", "boss",
                "email", "boss@" + tenant + ".example",
                "password", "boss-password-1",
                "role", "admin"))
        .expect(201);
    return api.post(
            "/api/tenants/auth/",
            none(),
            Map.of("username", "boss", "password", "boss-password-1", "tenant_domain", tenant))
        .expect(200)
        .at("data.token");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"s3storage", "rdsdatabase", "nosqldatabase", "queue", "function", "kafka"})
  void anotherTenantsInstancePathsAre403(String type) {
    Api.Answer denied =
        api.get("/api/" + type + "/" + globex + "/any-instance/anything", bearer(acmeAdmin))
            .expect(403);
    assertThat(denied.<String>at("error.code")).isEqualTo("AccessDenied");
    assertThat(denied.body()).containsKey("requestId");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"/api/tenants/users/", "/api/tenants/organizations/", "/api/tenants/audit-logs/"})
  void anotherTenantsDomainIs403(String path) {
    Api.Answer denied = api.get(path, bearer(acmeAdmin, globex)).expect(403);
    assertThat(denied.body()).containsEntry("status", "failure").containsEntry("data", null);
  }

  @Test
  void rowsOfAnotherTenantAreInvisible() {
    List<Map<String, Object>> acmeUsers =
        api.get("/api/tenants/users/", bearer(acmeAdmin, acme)).expect(200).list("data.results");
    List<Map<String, Object>> globexUsers =
        api.get("/api/tenants/users/", bearer(globexAdmin, globex))
            .expect(200)
            .list("data.results");
    assertThat(acmeUsers)
        .extracting(u -> u.get("email"))
        .containsExactly("boss@" + acme + ".example");
    Object globexBoss = globexUsers.get(0).get("id");
    api.get("/api/tenants/users/" + globexBoss + "/", bearer(acmeAdmin, acme)).expect(404);
    api.delete("/api/tenants/users/" + globexBoss + "/", bearer(acmeAdmin, acme)).expect(404);

    Api.Answer instance = createInstance(globexAdmin, "queue", "globex-orders");
    api.get("/api/services/" + instance.at("id"), bearer(acmeAdmin)).expect(404);
    assertThat(api.get("/api/services", bearer(acmeAdmin)).expect(200).items().toString())
        .doesNotContain("globex-orders");
  }

  @Test
  void instanceApiKeyCallsThroughTheGatewayWithinItsInstanceAndPlan() {
    Api.Answer instance = createInstance(acmeAdmin, "s3storage", "acme-docs");
    String serviceId = instance.at("id");
    String key = instance.at("apiKey");
    assertThat(instance.body())
        .containsEntry("serviceType", "S3Storage") // as in seed 000's service.created
        .containsEntry("tenantId", acme)
        .containsEntry("status", "provisioning") // until storage-service reports it ready
        .containsEntry("endpoint", "/api/s3storage/" + acme + "/" + serviceId);

    Api.Answer listed = api.get("/api/services/" + serviceId, apiKey(key)).expect(200);
    assertThat(listed.body()).containsEntry("serviceName", "acme-docs");
    assertThat(listed.header("X-RateLimit-Limit")).isEqualTo("10000"); // acme is on Pro

    // Bound to its instance: another instance of the same tenant is out of reach.
    api.get("/api/s3storage/" + acme + "/" + UUID.randomUUID() + "/buckets", apiKey(key))
        .expect(403);
    // storage-service learns of the instance from service.created and reports it ready; from then
    // on auth-service says running, and the instance passes authentication and tenancy and
    // reaches storage-service.
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(api.get("/api/services/" + serviceId, apiKey(key)).expect(200).body())
                    .containsEntry("status", "running"));
    Api.Answer buckets =
        api.get("/api/s3storage/" + acme + "/" + serviceId + "/buckets", apiKey(key)).expect(200);
    assertThat(buckets.<Object>at("count")).isEqualTo(0);
  }

  /**
   * The tenant-wide usage (auth-service) shows what storage-service counts for the tenant, asked
   * over its internal endpoint: a bucket made through the gateway appears there.
   */
  @Test
  void theTenantsUsageCountsTheBucketsStorageHolds() {
    String serviceId = createInstance(globexAdmin, "s3storage", "globex-usage").at("id");
    String buckets = "/api/s3storage/" + globex + "/" + serviceId + "/buckets";
    long before = usedBuckets();
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                api.post(buckets, bearer(globexAdmin), Map.of("name", "usage-" + globex))
                    .expect(201));
    Api.Answer usage = api.get("/api/usage", bearer(globexAdmin)).expect(200);
    assertThat(usage.<Object>at("plan")).isEqualTo("free");
    assertThat(usedBuckets()).isEqualTo(before + 1);
    assertThat(usage.<Object>at("used.stored_bytes")).isNotNull();
  }

  private static long usedBuckets() {
    Object used = api.get("/api/usage", bearer(globexAdmin)).expect(200).at("used.buckets");
    assertThat(used).as("storage-service's count in /api/usage").isNotNull();
    return ((Number) used).longValue();
  }

  @Test
  void aRevokedApiKeyIsRefusedWithinFiveSeconds() {
    Api.Answer created =
        api.post(
                "/api/api-keys",
                bearer(acmeAdmin),
                Map.of("name", "ci", "scopes", List.of("read", "write")))
            .expect(201);
    String key = created.at("key");
    api.get("/api/services", apiKey(key)).expect(200);
    List<Map<String, Object>> keys =
        api.get("/api/api-keys", bearer(acmeAdmin)).expect(200).items();
    assertThat(keys.toString()).doesNotContain(key);

    api.delete("/api/api-keys/" + created.at("id"), bearer(acmeAdmin)).expect(204);
    Instant revoked = Instant.now();
    int status = 200;
    while (status != 401 && Duration.between(revoked, Instant.now()).toSeconds() < 10) {
      status = api.get("/api/services", apiKey(key)).status();
      ServiceProcess.sleep(Duration.ofMillis(200));
    }
    assertThat(status).isEqualTo(401);
    assertThat(Duration.between(revoked, Instant.now())).isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void forgedTokensAreRefused() throws Exception {
    String real = acmeAdmin;
    String[] parts = real.split("\\.");
    JsonMapper json = JsonMapper.builder().build();
    @SuppressWarnings("unchecked")
    Map<String, Object> claims =
        json.readValue(Base64.getUrlDecoder().decode(parts[1]), LinkedHashMap.class);
    claims.put("tenant_id", globex);
    claims.put("roles", List.of("admin", "platform_admin"));
    String tampered = parts[0] + "." + b64(json.writeValueAsString(claims)) + "." + parts[2];
    String none = b64("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + parts[1] + ".";
    String foreign =
        TestJwtIssuer.start().token(TestJwtIssuer.userClaims(acme, "admin", "platform_admin"));
    for (String token : List.of(tampered, none, foreign, "not-a-token")) {
      Api.Answer refused = api.get("/api/services", bearer(token)).expect(401);
      assertThat(refused.<String>at("error.code")).isEqualTo("Unauthorized");
    }
    api.get("/api/services", none()).expect(401);
    api.get("/api/services", apiKey("ck_nothing_nothingnothingnothingnothing")).expect(401);
  }

  static Api.Answer createInstance(String token, String type, String name) {
    return api.post(
            "/api/services", bearer(token), Map.of("serviceName", name, "serviceType", type))
        .expect(201);
  }

  private static String b64(String json) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }
}
