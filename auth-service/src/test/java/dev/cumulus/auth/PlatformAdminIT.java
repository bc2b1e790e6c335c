package dev.cumulus.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.nimbusds.jwt.SignedJWT;
import dev.cumulus.auth.tenant.application.TenantEvents;
import dev.cumulus.platform.events.ReceivedEvent;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;

/** Admin tenant API, API keys and their exchange, JWKS and key rotation, brute force. */
class PlatformAdminIT extends AuthIT {

  private JsonNode patch(String path, String token, Object body, int status) {
    return json(
        http.patch()
            .uri(path)
            .header("Authorization", "Bearer " + token)
            .contentType(MediaType.APPLICATION_JSON)
            .bodyValue(body)
            .exchange()
            .expectStatus()
            .isEqualTo(status));
  }

  private JsonNode exchange(String apiKey, int status) {
    return json(
        http.post()
            .uri("/internal/auth/api-key-token")
            .header("X-API-Key", apiKey)
            .exchange()
            .expectStatus()
            .isEqualTo(status));
  }

  @Test
  void platformAdminCreatesListsAndChangesTenantPlans() throws Exception {
    String id = unique("acme");
    JsonNode created =
        post(
            "/api/admin/tenants",
            adminToken(),
            Map.of("id", id, "domain", id + ".io", "name", "Acme", "plan", "Pro"),
            201);
    assertThat(created.path("id").asString()).isEqualTo(id);
    assertThat(created.path("domain").asString()).isEqualTo(id + ".io");
    assertThat(created.path("plan").asString()).isEqualTo("pro");
    assertThat(created.path("createdAt").asString()).isNotBlank();

    JsonNode list = get("/api/admin/tenants", adminToken(), 200);
    assertThat(list.isArray()).isTrue();
    assertThat(list.toString()).contains(id).contains("\"default\"");

    JsonNode changed =
        patch("/api/admin/tenants/" + id, adminToken(), Map.of("plan", "enterprise"), 200);
    assertThat(changed.path("plan").asString()).isEqualTo("enterprise");
    assertThat(get("/api/admin/tenants/" + id, adminToken(), 200).path("plan").asString())
        .isEqualTo("enterprise");

    // A token issued after the change carries the new plan.
    post(
        "/api/tenants/users/",
        adminToken(),
        Map.of("username", "u", "email", "u@" + id + ".io", "password", "password123"),
        201);
    // (created in the platform tenant: the admin sent no X-Tenant-Domain) -> log in there
    Map<String, Object> claims = verified(tenantLogin("u", "password123", "default"));
    assertThat(claims).containsEntry("plan", "enterprise").containsEntry("tenant_id", "default");

    // Services enforcing plan limits of their own hear of the change (in its transaction).
    patch("/api/admin/tenants/" + id, adminToken(), Map.of("name", "Acme Inc"), 200);
    http.put()
        .uri("/api/admin/tenants/" + id + "/quotas")
        .header("Authorization", "Bearer " + adminToken())
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(Map.of("instances", 7))
        .exchange()
        .expectStatus()
        .isOk();
    List<ReceivedEvent> events = ServiceInstancesIT.events(TenantEvents.TOPIC, id, 2);
    assertThat(events)
        .extracting(ReceivedEvent::type)
        .containsExactly(
            "dev.cumulus.auth.tenant.plan-changed.v1", "dev.cumulus.auth.tenant.quotas-changed.v1");
    JsonNode planChange = JSON.readTree(events.get(0).data());
    assertThat(planChange.path("tenantId").asString()).isEqualTo(id);
    assertThat(planChange.path("plan").asString()).isEqualTo("enterprise");
    assertThat(planChange.path("previousPlan").asString()).isEqualTo("pro");
    assertThat(JSON.readTree(events.get(1).data()).path("quotas").path("instances").asLong())
        .isEqualTo(7);

    JsonNode badPlan = patch("/api/admin/tenants/" + id, adminToken(), Map.of("plan", "gold"), 400);
    assertThat(badPlan.path("error").path("code").asString()).isEqualTo("InvalidRequest");
    assertThat(badPlan.path("requestId").asString()).isNotBlank();
    post("/api/admin/tenants", adminToken(), Map.of("id", "Bad Slug"), 400);
    post("/api/admin/tenants", adminToken(), Map.of("id", id), 409);
    get("/api/admin/tenants/no-such-tenant", adminToken(), 404);

    Tenant other = newTenant("free");
    JsonNode forbidden = get("/api/admin/tenants", other.adminToken(), 403);
    assertThat(forbidden.path("error").path("code").asString()).isEqualTo("AccessDenied");
    get("/api/admin/tenants", null, 401);
  }

  @Test
  void apiKeysAreShownOnceListedByPrefixAndStopWorkingWhenRevoked() throws Exception {
    Tenant tenant = newTenant("pro");
    JsonNode created =
        post(
            "/api/api-keys",
            tenant.adminToken(),
            Map.of("name", "ci", "scopes", List.of("read")),
            201);
    String key = created.path("key").asString();
    String keyId = created.path("id").asString();
    assertThat(key).matches("ck_[a-z0-9]{8}_[A-Za-z0-9]{32}");
    assertThat(created.path("prefix").asString()).isEqualTo(key.substring(0, 11));

    JsonNode list = get("/api/api-keys", tenant.adminToken(), 200);
    assertThat(list.size()).isEqualTo(1);
    assertThat(list.get(0).path("prefix").asString()).isEqualTo(key.substring(0, 11));
    assertThat(list.toString()).doesNotContain(key.substring(12));
    assertThat(list.get(0).has("key")).isFalse();

    JsonNode token = exchange(key, 200);
    assertThat(token.path("token_type").asString()).isEqualTo("Bearer");
    assertThat(token.path("expires_in").asLong()).isEqualTo(300);
    Map<String, Object> claims = verified(token.path("access_token").asString());
    assertThat(claims)
        .containsEntry("sub", "key:" + keyId)
        .containsEntry("api_key_id", keyId)
        .containsEntry("tenant_id", tenant.id())
        .containsEntry("plan", "pro")
        .doesNotContainKey("username");
    assertThat(claims.get("scopes").toString()).isEqualTo("[read]");
    assertThat(claims.get("roles").toString()).doesNotContain("platform_admin");
    // auth-service applies the gateway's rules itself: the key reads, cannot write, and its token
    // stops working here once the key is revoked (issue 21).
    String keyToken = token.path("access_token").asString();
    get("/api/services", keyToken, 200);
    post("/api/api-keys", keyToken, Map.of("name", "escalate"), 403);

    http.delete()
        .uri("/api/api-keys/" + keyId)
        .header("Authorization", "Bearer " + tenant.adminToken())
        .exchange()
        .expectStatus()
        .isNoContent();
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> get("/api/services", keyToken, 401));
    JsonNode refused = exchange(key, 401);
    assertThat(refused.path("error").path("code").asString()).isEqualTo("Unauthorized");
    assertThat(get("/api/api-keys", tenant.adminToken(), 200).size()).isZero();
    exchange("ck_abcdefgh_" + "x".repeat(32), 401);
    exchange("garbage", 401);

    // Another tenant's admin cannot see or revoke the key; a member cannot manage keys.
    Tenant other = newTenant("free");
    JsonNode second = post("/api/api-keys", tenant.adminToken(), Map.of("name", "two"), 201);
    assertThat(get("/api/api-keys", other.adminToken(), 200).toString())
        .doesNotContain(second.path("id").asString());
    http.delete()
        .uri("/api/api-keys/" + second.path("id").asString())
        .header("Authorization", "Bearer " + other.adminToken())
        .exchange()
        .expectStatus()
        .isNotFound();
    exchange(second.path("key").asString(), 200);
  }

  @Test
  void onlyPlatformAdminKeysOfThePlatformTenantCarryPlatformAdmin() throws Exception {
    JsonNode created =
        post("/api/api-keys", adminToken(), Map.of("name", "ops", "scopes", List.of("*")), 201);
    Map<String, Object> claims =
        verified(exchange(created.path("key").asString(), 200).path("access_token").asString());
    assertThat(claims.get("roles").toString()).contains("platform_admin");
    assertThat(claims.get("permissions").toString()).isEqualTo("[*]");

    Tenant tenant = newTenant("free");
    JsonNode tenantKey =
        post(
            "/api/api-keys",
            tenant.adminToken(),
            Map.of("name", "all", "scopes", List.of("*")),
            201);
    Map<String, Object> tenantClaims =
        verified(exchange(tenantKey.path("key").asString(), 200).path("access_token").asString());
    assertThat(tenantClaims.get("roles").toString()).doesNotContain("platform_admin");
    post("/api/api-keys", tenant.adminToken(), Map.of("name", "x", "scopes", List.of("root")), 400);
  }

  @Test
  void jwksPublishesTheActiveKeyAndKeepsTheOldOneAfterRotation() throws Exception {
    String before = adminToken();
    String oldKid = SignedJWT.parse(before).getHeader().getKeyID();
    JsonNode jwks = get("/.well-known/jwks.json", null, 200);
    assertThat(jwks.path("keys").toString()).contains(oldKid).doesNotContain("\"d\"");
    JsonNode key = jwks.path("keys").get(0);
    assertThat(key.path("kty").asString()).isEqualTo("RSA");
    assertThat(key.path("alg").asString()).isEqualTo("RS256");
    assertThat(key.path("use").asString()).isEqualTo("sig");

    JsonNode rotated = post("/api/admin/signing-keys/rotate", before, Map.of(), 201);
    String newKid = rotated.path("kid").asString();
    assertThat(newKid).isNotEqualTo(oldKid);

    JsonNode after = get("/.well-known/jwks.json", null, 200);
    assertThat(after.path("keys").toString()).contains(oldKid).contains(newKid);
    String fresh = tenantLogin("admin", ADMIN_PASSWORD, "default");
    assertThat(SignedJWT.parse(fresh).getHeader().getKeyID()).isEqualTo(newKid);
    verified(fresh);
    // A token of the retired key still works here.
    get("/api/admin/tenants/default", before, 200);

    Tenant tenant = newTenant("free");
    post("/api/admin/signing-keys/rotate", tenant.adminToken(), Map.of(), 403);
  }

  @Test
  void tamperedForeignAndUnsignedTokensAreRefused() throws Exception {
    String token = adminToken();
    String[] parts = token.split("\\.");
    String forgedPayload =
        java.util.Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(
                new String(java.util.Base64.getUrlDecoder().decode(parts[1]))
                    .replace("\"default\"", "\"other\"")
                    .getBytes());
    get("/api/admin/tenants", parts[0] + "." + forgedPayload + "." + parts[2], 401);
    String none =
        java.util.Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString("{\"alg\":\"none\"}".getBytes());
    get("/api/admin/tenants", none + "." + parts[1] + ".", 401);
  }

  /**
   * Five failures from one address lock that address out of the account for the window; from
   * anywhere else the account only waits a short delay after its last failure, so an attacker
   * cannot lock its owner out (issue 21).
   */
  @Test
  void fiveFailedLoginsLockTheAttackerOutAndOnlyDelayTheOwner() {
    Tenant tenant = newTenant("free");
    String attacker = randomIp();
    Map<String, Object> wrong =
        Map.of("username", "boss", "password", "wrong-password", "tenant_domain", tenant.domain());
    for (int i = 0; i < 5; i++) {
      tenantLogin(attacker, wrong).expectStatus().isUnauthorized();
    }
    Map<String, Object> right =
        Map.of("username", "boss", "password", "boss-password", "tenant_domain", tenant.domain());
    // The attacker's address is refused even with the right password, for the whole window.
    JsonNode limited =
        json(
            tenantLogin(attacker, right)
                .expectStatus()
                .isEqualTo(429)
                .expectHeader()
                .value("Retry-After", v -> assertThat(Long.parseLong(v)).isBetween(600L, 900L)));
    assertThat(limited.path("status").asString()).isEqualTo("failure");
    // Seed 002's e-mail login of the same account from there too, in its own envelope.
    JsonNode autoUpdate =
        json(
            http.post()
                .uri("/api/auth/login")
                .header("X-Forwarded-For", attacker)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("email", "boss@" + tenant.id() + ".example.com", "password", "x"))
                .exchange()
                .expectStatus()
                .isEqualTo(429)
                .expectHeader()
                .exists("Retry-After"));
    assertThat(autoUpdate.path("error").path("code").asString()).isEqualTo("RATE_LIMIT_EXCEEDED");

    // The owner, elsewhere: a short wait after the last failure, then in.
    String owner = randomIp();
    tenantLogin(owner, right)
        .expectStatus()
        .isEqualTo(429)
        .expectHeader()
        .value("Retry-After", v -> assertThat(Long.parseLong(v)).isBetween(1L, 4L));
    await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofSeconds(1))
        .untilAsserted(() -> tenantLogin(owner, right).expectStatus().isOk());
    tenantLogin(attacker, right).expectStatus().isEqualTo(429);
  }

  private WebTestClient.ResponseSpec tenantLogin(String from, Map<String, Object> body) {
    return http.post()
        .uri("/api/tenants/auth/")
        .header("X-Forwarded-For", from)
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(body)
        .exchange();
  }

  /**
   * The account counter does not restart when the login is spelled another way: the tenant domain's
   * case, the e-mail (seed 002) or the username (seed 003) of the same user.
   */
  @Test
  void failedLoginsCountPerAccountWhateverTheLoginsSpelling() {
    Tenant tenant = newTenant("free");
    String email = "boss@" + tenant.id() + ".example.com";
    String mixed = Character.toUpperCase(tenant.domain().charAt(0)) + tenant.domain().substring(1);
    String[] spellings = {tenant.domain().toUpperCase(), tenant.domain(), mixed};
    for (int i = 0; i < 4; i++) {
      http.post()
          .uri("/api/auth/login")
          .header("X-Forwarded-For", randomIp())
          .header("X-Tenant-Domain", spellings[i % spellings.length])
          .contentType(MediaType.APPLICATION_JSON)
          .bodyValue(Map.of("email", email, "password", "wrong-password"))
          .exchange()
          .expectStatus()
          .isUnauthorized();
    }
    tenantLogin(
            randomIp(),
            Map.of("username", "boss", "password", "wrong", "tenant_domain", mixed.toUpperCase()))
        .expectStatus()
        .isUnauthorized();
    http.post()
        .uri("/api/auth/login")
        .header("X-Forwarded-For", randomIp())
        .header("X-Tenant-Domain", tenant.domain().toUpperCase())
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(Map.of("email", email, "password", "boss-password"))
        .exchange()
        .expectStatus()
        .isEqualTo(429);
  }
}
