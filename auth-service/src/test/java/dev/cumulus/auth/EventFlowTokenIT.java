package dev.cumulus.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Seed 001 {@code POST /auth/token}, outside the dev profile: platform administrators only. */
class EventFlowTokenIT extends AuthIT {

  @Test
  @SuppressWarnings("unchecked")
  void seedExampleIssuesATokenAndCreatesTheTenantOnFirstUse() throws Exception {
    String userId = unique("alice");
    Map<String, Object> request =
        Map.of("user_id", userId, "username", "Alice", "email", userId + "@company.com");

    JsonNode body = post("/auth/token", adminToken(), request, 200);

    assertThat(body.path("user_id").asString()).isEqualTo(userId);
    assertThat(body.path("username").asString()).isEqualTo("Alice");
    assertThat(body.path("email").asString()).isEqualTo(userId + "@company.com");
    assertThat(body.path("namespace").asString()).isEqualTo("tenant-" + userId);
    Map<String, Object> claims = verified(body.path("token").asString());
    assertThat(claims)
        .containsEntry("iss", "cumulus")
        .containsEntry("tenant_id", "tenant-" + userId)
        .containsEntry("tenant_domain", "tenant-" + userId)
        .containsEntry("plan", "free")
        .containsEntry("username", userId)
        .containsEntry("email", userId + "@company.com")
        .containsKeys("jti", "iat", "exp", "sub", "sid");
    assertThat((List<Object>) claims.get("roles")).containsExactly("admin");
    assertThat(((java.util.Date) claims.get("exp")).toInstant())
        .isAfter(Instant.now().plusSeconds(24 * 3600 - 60));

    // Second call: same tenant and user (same subject), no duplicate.
    JsonNode again = post("/auth/token", adminToken(), request, 200);
    assertThat(verified(again.path("token").asString()).get("sub")).isEqualTo(claims.get("sub"));
    JsonNode tenant = get("/api/admin/tenants/tenant-" + userId, adminToken(), 200);
    assertThat(tenant.path("plan").asString()).isEqualTo("free");
    assertThat(tenant.path("domain").asString()).isEqualTo("tenant-" + userId);
  }

  @Test
  void withoutAPlatformAdminTokenTheEndpointIsClosed() {
    Map<String, Object> request = Map.of("user_id", "mallory", "username", "M", "email", "m@x.io");
    JsonNode anonymous = post("/auth/token", null, request, 401);
    assertThat(anonymous.path("error").asString()).isEqualTo("Unauthorized");
    assertThat(anonymous.path("message").isString()).isTrue();

    Tenant tenant = newTenant("pro");
    JsonNode tenantAdmin = post("/auth/token", tenant.adminToken(), request, 403);
    assertThat(tenantAdmin.path("error").asString()).isEqualTo("Forbidden");
  }

  @Test
  void rejectsUserIdsThatCannotNameANamespace() {
    JsonNode body =
        post("/auth/token", adminToken(), Map.of("user_id", "Not A Slug!", "username", "x"), 400);
    assertThat(body.path("error").asString()).isEqualTo("Bad Request");
    assertThat(body.path("message").asString()).contains("user_id");
  }
}
