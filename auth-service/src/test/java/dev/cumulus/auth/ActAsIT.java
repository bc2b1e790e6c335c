package dev.cumulus.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Date;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import tools.jackson.databind.JsonNode;

/** A platform administrator's token for another tenant (POST /api/admin/tenants/{id}/act-as). */
class ActAsIT extends AuthIT {

  private JsonNode actAs(String tenantId, String token, int status) {
    return post("/api/admin/tenants/" + tenantId + "/act-as", token, Map.of(), status);
  }

  private JsonNode call(String method, String path, String token, String domain, int status) {
    var spec = http.method(org.springframework.http.HttpMethod.valueOf(method)).uri(path);
    spec.header("Authorization", "Bearer " + token);
    if (domain != null) {
      spec.header("X-Tenant-Domain", domain);
    }
    return json(spec.exchange().expectStatus().isEqualTo(status));
  }

  private static List<JsonNode> actAsEntries(JsonNode auditPage) {
    return auditPage
        .path("data")
        .path("results")
        .valueStream()
        .filter(e -> e.path("action").asString().equals("ACT_AS"))
        .toList();
  }

  @Test
  void platformAdminGetsATenantAdminTokenOfTheChosenTenant() throws Exception {
    Tenant tenant = newTenant("pro");
    JsonNode body = actAs(tenant.id(), adminToken(), 200);
    assertThat(body.path("tokenType").asString()).isEqualTo("Bearer");
    assertThat(body.path("expiresIn").asLong()).isEqualTo(900);
    assertThat(body.path("tenantId").asString()).isEqualTo(tenant.id());
    assertThat(body.path("tenantDomain").asString()).isEqualTo(tenant.domain());
    assertThat(body.has("refreshToken")).isFalse();

    Map<String, Object> admin = verified(adminToken());
    Map<String, Object> claims = verified(body.path("accessToken").asString());
    assertThat(claims)
        .containsEntry("tenant_id", tenant.id())
        .containsEntry("tenant_domain", tenant.domain())
        .containsEntry("plan", "pro")
        .containsEntry("sub", admin.get("sub"))
        .containsEntry("username", "admin")
        .containsEntry("sid", admin.get("sid"));
    // A tenant administrator there, not a platform administrator.
    assertThat(claims.get("roles")).isEqualTo(List.of("admin"));
    assertThat(claims.get("permissions")).isEqualTo(List.of("*"));
    assertThat(claims.get("act"))
        .isEqualTo(Map.of("sub", admin.get("sub"), "tenant_id", "default"));
    long lifetime =
        ((Date) claims.get("exp")).toInstant().getEpochSecond()
            - ((Date) claims.get("iat")).toInstant().getEpochSecond();
    assertThat(lifetime).isEqualTo(900);
  }

  @Test
  void theTokenActsInTheChosenTenantOnly() {
    Tenant tenant = newTenant("free");
    String acting = actAs(tenant.id(), adminToken(), 200).path("accessToken").asString();

    // The tenant's users, as its administrator sees them; a write is audited under the admin.
    JsonNode users = call("GET", "/api/tenants/users/", acting, null, 200);
    assertThat(users.path("data").path("results").toString()).contains("boss@" + tenant.id());
    post(
        "/api/tenants/users/",
        acting,
        Map.of("username", "helper", "email", "helper@" + tenant.domain(), "password", "pw-123456"),
        201);

    // Not the admin's own tenant, and no platform administration.
    call("GET", "/api/tenants/users/", acting, "default", 403);
    JsonNode refused = get("/api/admin/tenants", acting, 403);
    assertThat(refused.path("error").path("code").asString()).isEqualTo("AccessDenied");
    // Nor a further exchange from the acting token.
    actAs("default", acting, 403);

    JsonNode audit = call("GET", "/api/tenants/audit-logs/", tenant.adminToken(), null, 200);
    JsonNode created =
        audit
            .path("data")
            .path("results")
            .valueStream()
            .filter(e -> e.path("action").asString().equals("CREATE"))
            .filter(e -> e.path("changes").toString().contains("helper"))
            .findFirst()
            .orElseThrow();
    assertThat(created.path("user").path("username").asString()).isEqualTo("admin");
  }

  @Test
  void bothTenantsAuditWhoActedAsWhom() {
    Tenant tenant = newTenant("free");
    actAs(tenant.id(), adminToken(), 200);

    List<JsonNode> inTarget =
        actAsEntries(call("GET", "/api/tenants/audit-logs/", tenant.adminToken(), null, 200));
    assertThat(inTarget).hasSize(1);
    JsonNode entry = inTarget.getFirst();
    assertThat(entry.path("user").path("username").asString()).isEqualTo("admin");
    assertThat(entry.path("resource_type").asString()).isEqualTo("TENANT");
    assertThat(entry.path("resource_id").asString()).isEqualTo(tenant.id());
    assertThat(entry.path("changes").path("actor").asString()).isEqualTo("admin");
    assertThat(entry.path("changes").path("actor_tenant").asString()).isEqualTo("default");

    List<JsonNode> inOwn =
        actAsEntries(call("GET", "/api/tenants/audit-logs/?limit=100", adminToken(), null, 200));
    assertThat(inOwn)
        .anySatisfy(
            e -> {
              assertThat(e.path("resource_id").asString()).isEqualTo(tenant.id());
              assertThat(e.path("user").path("username").asString()).isEqualTo("admin");
              assertThat(e.path("changes").path("tenant").asString()).isEqualTo(tenant.id());
            });
  }

  @Test
  void onlyAPlatformAdminActsAndOnlyOnATenantThatExists() {
    Tenant tenant = newTenant("free");
    Tenant other = newTenant("free");

    JsonNode forbidden = actAs(other.id(), tenant.adminToken(), 403);
    assertThat(forbidden.path("error").path("code").asString()).isEqualTo("AccessDenied");
    // Not even on its own tenant: this is not a way to mint tokens.
    actAs(tenant.id(), tenant.adminToken(), 403);

    JsonNode unauthenticated =
        json(
            http.post()
                .uri("/api/admin/tenants/" + tenant.id() + "/act-as")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of())
                .exchange()
                .expectStatus()
                .isUnauthorized());
    assertThat(unauthenticated.path("error").path("message").asString()).isNotBlank();

    JsonNode missing = actAs(unique("nobody"), adminToken(), 404);
    assertThat(missing.path("error").path("code").asString()).isEqualTo("NotFound");
    assertThat(missing.path("error").path("message").asString()).contains("No tenant");
    JsonNode bad = actAs("Not_A_Tenant", adminToken(), 400);
    assertThat(bad.path("error").path("code").asString()).isEqualTo("InvalidRequest");
    assertThat(bad.path("error").path("message").asString()).contains("lower-case");
    assertThat(actAsEntries(call("GET", "/api/tenants/audit-logs/", other.adminToken(), null, 200)))
        .isEmpty();
  }
}
