package dev.cumulus.e2e;

import static dev.cumulus.e2e.Api.bearer;
import static dev.cumulus.e2e.Api.none;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The identity examples of seeds 001, 002 and 003, sent through the gateway with the seeds' exact
 * bodies and headers, answered in the shapes the seeds document. auth-service runs with its
 * production settings (not the dev profile) on a fresh database.
 */
class IdentitySeedExamplesIT {

  static Cumulus cumulus;
  static Api api;

  @BeforeAll
  static void start() {
    cumulus = Cumulus.get();
    api = new Api(cumulus.viaGateway());
  }

  static String adminToken003() {
    return cumulus.adminToken(api);
  }

  @Test
  void seed003TenantLoginUsersOrganizationsAndAuditLogs() {
    Api.Answer login =
        api.post(
                "/api/tenants/auth/",
                none(),
                Map.of(
                    "username",
                    "admin",
                    "password",
                    cumulus.adminPassword,
                    "tenant_domain",
                    "default"))
            .expect(200);
    assertThat(login.<String>at("status")).isEqualTo("success");
    assertThat(login.<String>at("message")).isEqualTo("Login successful");
    assertThat(login.<Map<String, Object>>at("data.user"))
        .containsKeys("id", "username", "email", "role")
        .containsEntry("username", "admin")
        .containsEntry("role", "admin");
    String token = login.at("data.token");

    // POST /api/tenants/users/ with the seed's request.
    Api.Answer created =
        api.post(
                "/api/tenants/users/",
                bearer(token, "default"),
                Map.of(
                    "username", "newuser",
                    "email", "user@example.com",
                    "password", "password123",
                    "first_name", "John",
                    "last_name", "Doe",
                    "role", "user"))
            .expect(201);
    assertThat(created.<String>at("status")).isEqualTo("success");
    assertThat(created.<Map<String, Object>>at("data"))
        .containsEntry("username", "newuser")
        .containsEntry("email", "user@example.com")
        .containsEntry("first_name", "John")
        .containsEntry("last_name", "Doe")
        .containsEntry("role", "user")
        .containsEntry("is_active", true)
        .doesNotContainKey("password");
    Object userId = created.at("data.id");
    assertThat(userId).isInstanceOf(Number.class);

    // The seed's "Testing Examples" curl: only username, email and password.
    api.post(
            "/api/tenants/users/",
            bearer(token, "default"),
            Map.of("username", "testuser", "email", "test@example.com", "password", "password123"))
        .expect(201);

    List<Map<String, Object>> users =
        api.get("/api/tenants/users/", bearer(token, "default")).expect(200).list("data.results");
    assertThat(users).extracting(u -> u.get("username")).contains("admin", "newuser", "testuser");

    String userPath = "/api/tenants/users/" + userId + "/";
    assertThat(api.get(userPath, bearer(token, "default")).expect(200).<String>at("data.email"))
        .isEqualTo("user@example.com");
    Api.Answer updated =
        api.put(
                userPath,
                bearer(token, "default"),
                Map.of(
                    "username", "newuser",
                    "email", "user@example.com",
                    "password", "password456",
                    "first_name", "Johnny",
                    "last_name", "Doe",
                    "role", "user"))
            .expect(200);
    assertThat(updated.<String>at("data.first_name")).isEqualTo("Johnny");

    // The updated password works for the seed-003 login of that user.
    api.post(
            "/api/tenants/auth/",
            none(),
            Map.of("username", "newuser", "password", "password456", "tenant_domain", "default"))
        .expect(200);

    // Organizations with created_by.
    Api.Answer org =
        api.post(
                "/api/tenants/organizations/",
                bearer(token, "default"),
                Map.of("name", "My Organization", "description", "Organization description"))
            .expect(201);
    assertThat(org.<Map<String, Object>>at("data"))
        .containsEntry("name", "My Organization")
        .containsEntry("description", "Organization description")
        .containsKeys("id", "created_at");
    assertThat(org.<Map<String, Object>>at("data.created_by")).containsEntry("username", "admin");
    String orgPath = "/api/tenants/organizations/" + org.at("data.id") + "/";
    assertThat(
            api.get("/api/tenants/organizations/", bearer(token, "default"))
                .expect(200)
                .list("data.results"))
        .extracting(o -> o.get("name"))
        .contains("My Organization");
    api.put(
            orgPath,
            bearer(token, "default"),
            Map.of("name", "Renamed Organization", "description", "Organization description"))
        .expect(200);
    assertThat(api.get(orgPath, bearer(token, "default")).expect(200).<String>at("data.name"))
        .isEqualTo("Renamed Organization");
    api.delete(orgPath, bearer(token, "default")).expect(200);
    Api.Answer gone = api.get(orgPath, bearer(token, "default")).expect(404);
    assertThat(gone.body()).containsEntry("status", "failure").containsEntry("data", null);

    api.delete(userPath, bearer(token, "default")).expect(200);
    api.get(userPath, bearer(token, "default")).expect(404);

    // Every write above left an audit entry with who, what, which, changes and the caller's IP.
    List<Map<String, Object>> audit =
        api.get("/api/tenants/audit-logs/", bearer(token, "default"))
            .expect(200)
            .list("data.results");
    assertThat(audit)
        .extracting(e -> e.get("action") + " " + e.get("resource_type"))
        .contains(
            "CREATE USER",
            "UPDATE USER",
            "DELETE USER",
            "CREATE ORGANIZATION",
            "UPDATE ORGANIZATION",
            "DELETE ORGANIZATION");
    Map<String, Object> userCreated =
        audit.stream()
            .filter(e -> "CREATE".equals(e.get("action")) && "USER".equals(e.get("resource_type")))
            .filter(e -> String.valueOf(userId).equals(String.valueOf(e.get("resource_id"))))
            .findFirst()
            .orElseThrow();
    assertThat(userCreated).containsKeys("id", "changes", "timestamp", "ip_address");
    assertThat(String.valueOf(userCreated.get("user"))).contains("username=admin");
    assertThat((String) userCreated.get("ip_address")).isNotBlank();
    assertThat(String.valueOf(userCreated.get("changes")))
        .contains("newuser")
        .doesNotContain("password123");
  }

  @Test
  void seed003ErrorsUseItsEnvelope() {
    Api.Answer wrong =
        api.post(
                "/api/tenants/auth/",
                none(),
                Map.of("username", "admin", "password", "not-it", "tenant_domain", "default"))
            .expect(401);
    assertThat(wrong.body()).containsEntry("status", "failure").containsEntry("data", null);
    assertThat(wrong.<String>at("error")).isNotBlank();
    api.get("/api/tenants/users/", none()).expect(401);
  }

  @Test
  void seed002LoginRefreshLogoutProfileAndUsers() {
    Api.Answer login =
        api.post(
                "/api/auth/login",
                none(),
                Map.of("email", "admin@cumulus.local", "password", cumulus.adminPassword))
            .expect(200);
    assertThat(login.<Boolean>at("success")).isTrue();
    assertThat(login.<String>at("message")).isEqualTo("Login successful");
    assertThat(login.<Map<String, Object>>at("data"))
        .containsKeys("access_token", "refresh_token")
        .containsEntry("expires_in", 86400)
        .containsEntry("token_type", "Bearer");
    assertThat(login.<Map<String, Object>>at("data.user"))
        .containsKeys("id", "email", "name", "role", "permissions")
        .containsEntry("role", "admin");
    assertThat(login.<Map<String, Object>>at("meta")).containsKeys("request_id", "timestamp");
    String admin = login.at("data.access_token");

    // POST /api/users with the seed's request (admin only).
    Api.Answer created =
        api.post(
                "/api/users",
                bearer(admin),
                Map.of(
                    "email", "newuser@example.com",
                    "name", "New User",
                    "password", "secure_password",
                    "role", "operator",
                    "permissions", List.of("container:read", "container:write")))
            .expect(201);
    assertThat(created.<Map<String, Object>>at("data"))
        .containsEntry("email", "newuser@example.com")
        .containsEntry("role", "operator")
        .containsEntry("permissions", List.of("container:read", "container:write"));

    List<Map<String, Object>> items =
        api.get("/api/users", bearer(admin)).expect(200).list("data.items");
    assertThat(items)
        .filteredOn(u -> "newuser@example.com".equals(u.get("email")))
        .singleElement()
        .satisfies(
            u ->
                assertThat(u)
                    .containsKeys(
                        "id", "name", "role", "active", "last_login", "created_at", "permissions"));

    Api.Answer operatorLogin =
        api.post(
                "/api/auth/login",
                none(),
                Map.of("email", "newuser@example.com", "password", "secure_password"))
            .expect(200);
    String operator = operatorLogin.at("data.access_token");
    String firstRefresh = operatorLogin.at("data.refresh_token");

    // Profile, GET and PUT with the seed's body.
    assertThat(api.get("/api/auth/profile", bearer(operator)).expect(200).<String>at("data.email"))
        .isEqualTo("newuser@example.com");
    Api.Answer profile =
        api.put(
                "/api/auth/profile",
                bearer(operator),
                Map.of(
                    "name",
                    "Updated Name",
                    "preferences",
                    Map.of(
                        "timezone",
                        "UTC",
                        "language",
                        "en",
                        "notifications",
                        Map.of("email", true, "push", false))))
            .expect(200);
    assertThat(profile.<String>at("data.name")).isEqualTo("Updated Name");
    assertThat(profile.<String>at("data.preferences.timezone")).isEqualTo("UTC");

    // An operator is not an admin: the seed's 403 shape.
    Api.Answer denied = api.get("/api/users", bearer(operator)).expect(403);
    assertThat(denied.<Boolean>at("success")).isFalse();
    assertThat(denied.<String>at("error.code")).isEqualTo("INSUFFICIENT_PERMISSIONS");

    // Refresh rotates; the rotated token used again revokes the whole family.
    Api.Answer refreshed =
        api.post("/api/auth/refresh", none(), Map.of("refresh_token", firstRefresh)).expect(200);
    assertThat(refreshed.<String>at("message")).isEqualTo("Token refreshed successfully");
    assertThat(refreshed.<Map<String, Object>>at("data"))
        .containsKeys("access_token", "expires_in", "token_type");
    String secondRefresh = refreshed.at("data.refresh_token");
    assertThat(secondRefresh).isNotEqualTo(firstRefresh);
    api.get("/api/auth/profile", bearer(refreshed.at("data.access_token"))).expect(200);
    api.post("/api/auth/refresh", none(), Map.of("refresh_token", firstRefresh)).expect(401);
    api.post("/api/auth/refresh", none(), Map.of("refresh_token", secondRefresh)).expect(401);

    // Logout revokes the session's refresh token, and the gateway refuses its access token from
    // the next request on.
    Api.Answer again =
        api.post(
                "/api/auth/login",
                none(),
                Map.of("email", "newuser@example.com", "password", "secure_password"))
            .expect(200);
    String access = again.at("data.access_token");
    api.get("/api/auth/profile", bearer(access)).expect(200);
    Api.Answer logout = api.post("/api/auth/logout", bearer(access), null).expect(200);
    assertThat(logout.body())
        .containsEntry("success", true)
        .containsEntry("message", "Logout successful");
    api.post("/api/auth/refresh", none(), Map.of("refresh_token", again.at("data.refresh_token")))
        .expect(401);
    api.get("/api/auth/profile", bearer(access)).expect(401);
  }

  @Test
  void seed002ErrorsUseItsEnvelope() {
    Api.Answer wrong =
        api.post(
                "/api/auth/login",
                none(),
                Map.of("email", "nobody@example.com", "password", "whatever-it-is"))
            .expect(401);
    assertThat(wrong.<Boolean>at("success")).isFalse();
    assertThat(wrong.<String>at("error.code")).isEqualTo("AUTHENTICATION_REQUIRED");
    assertThat(wrong.<Map<String, Object>>at("meta")).containsKey("request_id");
    Api.Answer invalid =
        api.post("/api/auth/login", none(), Map.of("email", "admin@cumulus.local")).expect(422);
    assertThat(invalid.<String>at("error.code")).isEqualTo("VALIDATION_ERROR");
  }

  @Test
  void seed001TokenNeedsAnAdminOutsideDevAndCreatesTheTenant() {
    Map<String, Object> request =
        Map.of("user_id", "alice", "username", "Alice", "email", "alice@company.com");
    Api.Answer anonymous = api.post("/auth/token", none(), request).expect(401);
    assertThat(anonymous.body()).containsEntry("error", "Unauthorized").containsKey("message");

    Api.Answer issued = api.post("/auth/token", bearer(adminToken003()), request).expect(200);
    assertThat(issued.body())
        .containsEntry("user_id", "alice")
        .containsEntry("username", "Alice")
        .containsEntry("email", "alice@company.com")
        .containsEntry("namespace", "tenant-alice");
    String alice = issued.at("token");

    // Alice's token works on DockSaaS routes of her new Free tenant, with the plan's limit.
    Api.Answer services = api.get("/api/services", bearer(alice)).expect(200);
    assertThat(services.header("X-RateLimit-Limit")).isEqualTo("1000");
    assertThat(services.header("X-RateLimit-Remaining")).isNotBlank();
    assertThat(services.header("X-RateLimit-Reset")).isNotBlank();
  }
}
