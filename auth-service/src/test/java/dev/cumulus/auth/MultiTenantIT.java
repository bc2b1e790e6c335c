package dev.cumulus.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;

/** Seed 003 (multi-tenant): tenant login, users, organizations, audit logs, isolation. */
class MultiTenantIT extends AuthIT {

  private JsonNode call(
      String method, String path, String token, String domain, Object body, int status) {
    WebTestClient.RequestBodySpec spec =
        http.method(org.springframework.http.HttpMethod.valueOf(method)).uri(path);
    spec.header("Authorization", "Bearer " + token);
    if (domain != null) {
      spec.header("X-Tenant-Domain", domain);
    }
    if (body != null) {
      spec.contentType(MediaType.APPLICATION_JSON).bodyValue(body);
    }
    return json(spec.exchange().expectStatus().isEqualTo(status));
  }

  private static void assertSuccess(JsonNode body) {
    assertThat(body.path("status").asString()).isEqualTo("success");
    assertThat(body.has("message")).isTrue();
  }

  private static void assertFailure(JsonNode body) {
    assertThat(body.path("status").asString()).isEqualTo("failure");
    assertThat(body.path("error").asString()).isNotBlank();
    assertThat(body.has("data")).isTrue();
    assertThat(body.path("data").isNull()).isTrue();
  }

  @Test
  void seedLoginOfTheBootstrapAdministrator() throws Exception {
    JsonNode body =
        post(
            "/api/tenants/auth/",
            null,
            Map.of("username", "admin", "password", "admin123", "tenant_domain", "default"),
            200);
    assertSuccess(body);
    assertThat(body.path("message").asString()).isEqualTo("Login successful");
    JsonNode user = body.path("data").path("user");
    assertThat(user.path("id").isIntegralNumber()).isTrue();
    assertThat(user.path("username").asString()).isEqualTo("admin");
    assertThat(user.path("email").asString()).isEqualTo("admin@cumulus.local");
    assertThat(user.path("role").asString()).isEqualTo("admin");
    Map<String, Object> claims = verified(body.path("data").path("token").asString());
    assertThat(claims).containsEntry("tenant_id", "default").containsEntry("plan", "enterprise");
    assertThat(claims.get("roles").toString()).contains("platform_admin");
    assertThat(claims.get("permissions").toString()).isEqualTo("[*]");

    JsonNode wrong =
        post(
            "/api/tenants/auth/",
            null,
            Map.of("username", "admin", "password", "wrong-one", "tenant_domain", "default"),
            401);
    assertFailure(wrong);
  }

  @Test
  void usersCrudWithTheSeedBodiesAndAnAuditEntryForEveryWrite() {
    Tenant tenant = newTenant("pro");
    String token = tenant.adminToken();

    JsonNode created =
        call(
            "POST",
            "/api/tenants/users/",
            token,
            tenant.domain(),
            Map.of(
                "username", "newuser",
                "email", "user@example.com",
                "password", "password123",
                "first_name", "John",
                "last_name", "Doe",
                "role", "user"),
            201);
    assertSuccess(created);
    JsonNode user = created.path("data");
    long id = user.path("id").asLong();
    assertThat(user.path("username").asString()).isEqualTo("newuser");
    assertThat(user.path("email").asString()).isEqualTo("user@example.com");
    assertThat(user.path("first_name").asString()).isEqualTo("John");
    assertThat(user.path("last_name").asString()).isEqualTo("Doe");
    assertThat(user.path("role").asString()).isEqualTo("user");
    assertThat(user.path("is_active").asBoolean()).isTrue();

    // Seed 003 "Create User" curl example: username, email, password only.
    call(
        "POST",
        "/api/tenants/users/",
        token,
        tenant.domain(),
        Map.of("username", "testuser", "email", "test@example.com", "password", "password123"),
        201);
    assertFailure(
        call(
            "POST",
            "/api/tenants/users/",
            token,
            tenant.domain(),
            Map.of("username", "testuser", "email", "other@example.com", "password", "password123"),
            409));

    JsonNode list = call("GET", "/api/tenants/users/", token, tenant.domain(), null, 200);
    assertSuccess(list);
    assertThat(list.path("data").path("results").size()).isEqualTo(3);

    JsonNode one = call("GET", "/api/tenants/users/" + id + "/", token, tenant.domain(), null, 200);
    assertThat(one.path("data").path("username").asString()).isEqualTo("newuser");

    JsonNode updated =
        call(
            "PUT",
            "/api/tenants/users/" + id + "/",
            token,
            tenant.domain(),
            Map.of("first_name", "Johnny", "role", "operator", "password", "password456"),
            200);
    assertThat(updated.path("data").path("first_name").asString()).isEqualTo("Johnny");
    assertThat(updated.path("data").path("role").asString()).isEqualTo("operator");
    tenantLogin("newuser", "password456", tenant.domain());

    call("DELETE", "/api/tenants/users/" + id + "/", token, tenant.domain(), null, 200);
    assertFailure(call("GET", "/api/tenants/users/" + id + "/", token, tenant.domain(), null, 404));

    JsonNode audit = call("GET", "/api/tenants/audit-logs/", token, tenant.domain(), null, 200);
    assertSuccess(audit);
    List<String> trail = new ArrayList<>();
    for (JsonNode entry : audit.path("data").path("results")) {
      trail.add(
          entry.path("action").asString()
              + " "
              + entry.path("resource_type").asString()
              + " "
              + entry.path("resource_id").asString());
      assertThat(entry.path("changes").toString())
          .doesNotContain("argon2")
          .doesNotContain("password456");
    }
    String userId = Long.toString(id);
    // Newest first.
    assertThat(trail)
        .containsSubsequence(
            "DELETE USER " + userId, "UPDATE USER " + userId, "CREATE USER " + userId);
    JsonNode update =
        audit
            .path("data")
            .path("results")
            .valueStream()
            .filter(e -> e.path("action").asString().equals("UPDATE"))
            .filter(e -> e.path("resource_id").asString().equals(userId))
            .findFirst()
            .orElseThrow();
    assertThat(update.path("user").path("username").asString()).isEqualTo("boss");
    assertThat(update.path("changes").path("first_name").path("to").asString()).isEqualTo("Johnny");
    assertThat(update.path("changes").path("password").asString()).isEqualTo("changed");
    assertThat(update.path("ip_address").asString()).isNotBlank();
    assertThat(update.path("timestamp").asString()).isNotBlank();
  }

  @Test
  void organizationsCrudRecordsTheCreatorAndAudits() {
    Tenant tenant = newTenant("free");
    String token = tenant.adminToken();
    JsonNode created =
        json(
            http.post()
                .uri("/api/tenants/organizations/")
                .header("Authorization", "Bearer " + token)
                .header("X-Tenant-Domain", tenant.domain())
                // From a trusted proxy (the test runs on loopback), the entry it appended counts;
                // what the client wrote to its left does not (TrustedProxiesTests: the rest).
                .header("X-Forwarded-For", "198.51.100.66, 203.0.113.7")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(
                    Map.of("name", "My Organization", "description", "Organization description"))
                .exchange()
                .expectStatus()
                .isCreated());
    assertSuccess(created);
    JsonNode org = created.path("data");
    String id = org.path("id").asString();
    assertThat(id).hasSize(36);
    assertThat(org.path("name").asString()).isEqualTo("My Organization");
    assertThat(org.path("description").asString()).isEqualTo("Organization description");
    assertThat(org.path("created_at").asString()).isNotBlank();
    assertThat(org.path("created_by").path("username").asString()).isEqualTo("boss");
    assertThat(org.path("created_by").path("id").isIntegralNumber()).isTrue();

    assertThat(
            call("GET", "/api/tenants/organizations/", token, tenant.domain(), null, 200)
                .path("data")
                .path("results")
                .size())
        .isEqualTo(1);
    JsonNode renamed =
        call(
            "PUT",
            "/api/tenants/organizations/" + id + "/",
            token,
            tenant.domain(),
            Map.of("name", "Renamed"),
            200);
    assertThat(renamed.path("data").path("name").asString()).isEqualTo("Renamed");
    assertThat(
            call("GET", "/api/tenants/organizations/" + id + "/", token, tenant.domain(), null, 200)
                .path("data")
                .path("description")
                .asString())
        .isEqualTo("Organization description");
    call("DELETE", "/api/tenants/organizations/" + id + "/", token, tenant.domain(), null, 200);
    call("GET", "/api/tenants/organizations/" + id + "/", token, tenant.domain(), null, 404);

    JsonNode audit = call("GET", "/api/tenants/audit-logs/", token, tenant.domain(), null, 200);
    List<String> orgEntries =
        audit
            .path("data")
            .path("results")
            .valueStream()
            .filter(e -> e.path("resource_type").asString().equals("ORGANIZATION"))
            .map(e -> e.path("action").asString() + "@" + e.path("ip_address").asString())
            .toList();
    assertThat(orgEntries)
        .containsExactly("DELETE@127.0.0.1", "UPDATE@127.0.0.1", "CREATE@203.0.113.7");
  }

  @Test
  void tenantsNeverSeeEachOthersRows() {
    Tenant a = newTenant("free");
    Tenant b = newTenant("free");
    long bUser =
        call("GET", "/api/tenants/users/", b.adminToken(), null, null, 200)
            .path("data")
            .path("results")
            .get(0)
            .path("id")
            .asLong();
    String bOrg =
        call(
                "POST",
                "/api/tenants/organizations/",
                b.adminToken(),
                null,
                Map.of("name", "B org"),
                201)
            .path("data")
            .path("id")
            .asString();

    // A's admin naming B's domain: 403. Using B's ids in A's tenant: 404.
    assertFailure(call("GET", "/api/tenants/users/", a.adminToken(), b.domain(), null, 403));
    assertFailure(
        call("GET", "/api/tenants/organizations/", a.adminToken(), b.domain(), null, 403));
    assertFailure(call("GET", "/api/tenants/audit-logs/", a.adminToken(), b.domain(), null, 403));
    call("GET", "/api/tenants/users/" + bUser + "/", a.adminToken(), null, null, 404);
    call(
        "PUT",
        "/api/tenants/users/" + bUser + "/",
        a.adminToken(),
        null,
        Map.of("first_name", "x"),
        404);
    call("DELETE", "/api/tenants/users/" + bUser + "/", a.adminToken(), null, null, 404);
    call("GET", "/api/tenants/organizations/" + bOrg + "/", a.adminToken(), null, null, 404);
    call("DELETE", "/api/tenants/organizations/" + bOrg + "/", a.adminToken(), null, null, 404);
    JsonNode aUsers = call("GET", "/api/tenants/users/", a.adminToken(), null, null, 200);
    assertThat(aUsers.path("data").path("results").toString()).doesNotContain(b.id());
    JsonNode aAudit =
        call("GET", "/api/tenants/audit-logs/", a.adminToken(), a.domain(), null, 200);
    assertThat(aAudit.path("data").path("results").toString()).doesNotContain("B org");

    // The platform administrator selects B with X-Tenant-Domain.
    JsonNode asPlatform =
        call("GET", "/api/tenants/organizations/", adminToken(), b.domain(), null, 200);
    assertThat(asPlatform.path("data").path("results").get(0).path("name").asString())
        .isEqualTo("B org");
  }

  @Test
  void membersReadButOnlyAdminsWriteOrSeeTheAuditLog() {
    Tenant tenant = newTenant("free");
    call(
        "POST",
        "/api/tenants/users/",
        tenant.adminToken(),
        null,
        Map.of("username", "plain", "email", "plain@example.com", "password", "password123"),
        201);
    String member = tenantLogin("plain", "password123", tenant.domain());
    call("GET", "/api/tenants/users/", member, null, null, 200);
    assertFailure(call("GET", "/api/tenants/audit-logs/", member, null, null, 403));
    assertFailure(
        call("POST", "/api/tenants/organizations/", member, null, Map.of("name", "nope"), 403));
    assertFailure(
        call(
            "POST",
            "/api/tenants/users/",
            member,
            null,
            Map.of("username", "x", "email", "x@example.com", "password", "password123"),
            403));
    assertFailure(call("GET", "/api/tenants/users/", "not-a-token", null, null, 401));
  }

  @Test
  void aTenantAdminOfThePlatformTenantCannotTakeOverThePlatformAdministrator() {
    String name = unique("deputy");
    call(
        "POST",
        "/api/tenants/users/",
        adminToken(),
        null,
        Map.of(
            "username",
            name,
            "email",
            name + "@cumulus.local",
            "password",
            "password123",
            "role",
            "admin"),
        201);
    String deputy = tenantLogin(name, "password123", "default");
    long adminId =
        post(
                "/api/tenants/auth/",
                null,
                Map.of("username", "admin", "password", ADMIN_PASSWORD, "tenant_domain", "default"),
                200)
            .path("data")
            .path("user")
            .path("id")
            .asLong();
    assertFailure(
        call(
            "PUT",
            "/api/tenants/users/" + adminId + "/",
            deputy,
            null,
            Map.of("password", "taken-over!"),
            403));
    assertFailure(call("DELETE", "/api/tenants/users/" + adminId + "/", deputy, null, null, 403));
    // and a '*' API key of the platform tenant (which would carry platform_admin) is refused too
    assertThat(
            json(http.post()
                    .uri("/api/api-keys")
                    .header("Authorization", "Bearer " + deputy)
                    .contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(Map.of("name", "escalate", "scopes", List.of("*")))
                    .exchange()
                    .expectStatus()
                    .isForbidden())
                .path("error")
                .path("code")
                .asString())
        .isEqualTo("AccessDenied");
  }
}
