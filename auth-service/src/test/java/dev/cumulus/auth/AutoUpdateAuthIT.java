package dev.cumulus.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.nimbusds.jwt.SignedJWT;
import dev.cumulus.platform.security.RevokedTokens;
import java.text.ParseException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;
import tools.jackson.databind.JsonNode;

/** Seed 002 (Docker Auto-Update): login, refresh rotation, logout, profile, users. */
class AutoUpdateAuthIT extends AuthIT {

  @Autowired DatabaseClient db;

  @Autowired ReactiveStringRedisTemplate redis;

  /** A tenant admin creates a user with seed 002's exact body and logs in as that user. */
  private record Member(Tenant tenant, long id, String email, String password) {}

  private Member newMember() {
    Tenant tenant = newTenant("pro");
    String email = unique("newuser") + "@example.com";
    JsonNode created =
        post(
            "/api/users",
            tenant.adminToken(),
            Map.of(
                "email",
                email,
                "name",
                "New User",
                "password",
                "secure_password",
                "role",
                "operator",
                "permissions",
                List.of("container:read", "container:write")),
            201);
    assertEnvelope(created, "User created successfully");
    JsonNode user = created.path("data");
    assertThat(user.path("id").isIntegralNumber()).isTrue();
    assertThat(user.path("email").asString()).isEqualTo(email);
    assertThat(user.path("name").asString()).isEqualTo("New User");
    assertThat(user.path("role").asString()).isEqualTo("operator");
    assertThat(user.path("active").asBoolean()).isTrue();
    assertThat(user.path("permissions").toString())
        .isEqualTo("[\"container:read\",\"container:write\"]");
    return new Member(tenant, user.path("id").asLong(), email, "secure_password");
  }

  private JsonNode login(String email, String password, int status) {
    return json(
        http.post()
            .uri("/api/auth/login")
            .header("X-Forwarded-For", randomIp())
            .contentType(MediaType.APPLICATION_JSON)
            .bodyValue(Map.of("email", email, "password", password))
            .exchange()
            .expectStatus()
            .isEqualTo(status));
  }

  static void assertEnvelope(JsonNode body, String message) {
    assertThat(body.path("success").asBoolean()).isTrue();
    assertThat(body.path("message").asString()).isEqualTo(message);
    assertThat(body.path("meta").path("request_id").asString()).isNotBlank();
    assertThat(body.path("meta").path("timestamp").asString()).endsWith("Z");
    assertThat(body.path("meta").path("version").asString()).isEqualTo("v1");
  }

  @Test
  void loginAnswersTheSeedShapeAndTokensVerify() throws Exception {
    Member member = newMember();
    JsonNode body = login(member.email(), member.password(), 200);

    assertEnvelope(body, "Login successful");
    JsonNode data = body.path("data");
    assertThat(data.path("expires_in").asLong()).isEqualTo(86400);
    assertThat(data.path("token_type").asString()).isEqualTo("Bearer");
    assertThat(data.path("refresh_token").asString()).isNotBlank();
    JsonNode user = data.path("user");
    assertThat(user.path("email").asString()).isEqualTo(member.email());
    assertThat(user.path("name").asString()).isEqualTo("New User");
    assertThat(user.path("role").asString()).isEqualTo("operator");
    assertThat(user.path("permissions").toString()).contains("container:write");

    Map<String, Object> claims = verified(data.path("access_token").asString());
    assertThat(claims)
        .containsEntry("sub", user.path("id").asString())
        .containsEntry("tenant_id", member.tenant().id())
        .containsEntry("tenant_domain", member.tenant().domain())
        .containsEntry("plan", "pro")
        .containsEntry("email", member.email());
  }

  @Test
  void wrongPasswordAndValidationErrorsUseTheFamilyEnvelope() {
    Member member = newMember();
    JsonNode wrong = login(member.email(), "not-the-password", 401);
    assertThat(wrong.path("success").asBoolean()).isFalse();
    assertThat(wrong.path("error").path("code").asString()).isEqualTo("AUTHENTICATION_REQUIRED");

    JsonNode invalid = post("/api/auth/login", null, Map.of("email", member.email()), 422);
    assertThat(invalid.path("error").path("code").asString()).isEqualTo("VALIDATION_ERROR");
    assertThat(invalid.path("error").path("fields").has("password")).isTrue();
  }

  @Test
  void refreshRotatesAndReuseRevokesTheWholeFamily() {
    Member member = newMember();
    String first =
        login(member.email(), member.password(), 200).path("data").path("refresh_token").asString();

    JsonNode refreshed = post("/api/auth/refresh", null, Map.of("refresh_token", first), 200);
    assertEnvelope(refreshed, "Token refreshed successfully");
    String second = refreshed.path("data").path("refresh_token").asString();
    assertThat(second).isNotBlank().isNotEqualTo(first);
    assertThat(refreshed.path("data").path("access_token").asString()).isNotBlank();
    assertThat(refreshed.path("data").path("expires_in").asLong()).isEqualTo(86400);

    // The spent token again: refused, and the family (including the newer token) is revoked.
    String session = sessionOf(refreshed.path("data").path("access_token").asString());
    assertThat(sessionEndTtl(session)).isNull();
    JsonNode reuse = post("/api/auth/refresh", null, Map.of("refresh_token", first), 401);
    assertThat(reuse.path("success").asBoolean()).isFalse();
    post("/api/auth/refresh", null, Map.of("refresh_token", second), 401);
    post("/api/auth/refresh", null, Map.of("refresh_token", "nonsense"), 401);
    // ...and its access tokens are marked for the gateway to refuse.
    assertThat(sessionEndTtl(session)).isNotNull();
  }

  @Test
  void logoutRevokesTheSessionsRefreshToken() {
    Member member = newMember();
    JsonNode data = login(member.email(), member.password(), 200).path("data");
    String access = data.path("access_token").asString();
    String refresh = data.path("refresh_token").asString();

    JsonNode out = post("/api/auth/logout", access, Map.of(), 200);
    assertEnvelope(out, "Logout successful");
    assertThat(out.has("data")).isFalse();
    post("/api/auth/refresh", null, Map.of("refresh_token", refresh), 401);
    post("/api/auth/logout", null, Map.of(), 401);
    // auth-service itself refuses it too, as every service does (not only the gateway).
    get("/api/auth/profile", access, 401);
    // The gateway refuses the access token from now on: the mark lasts as long as the token may.
    assertThat(sessionEndTtl(sessionOf(access)))
        .isBetween(Duration.ofHours(24).minusMinutes(1), Duration.ofHours(24));
  }

  /** The session id ({@code sid}) of an access token. */
  private static String sessionOf(String accessToken) {
    try {
      return SignedJWT.parse(accessToken).getJWTClaimsSet().getStringClaim("sid");
    } catch (ParseException e) {
      throw new AssertionError(e);
    }
  }

  /** How much longer the session's end is recorded for the gateway; null when it is not. */
  private Duration sessionEndTtl(String session) {
    assertThat(session).isNotBlank();
    Duration ttl = redis.getExpire(RevokedTokens.sessionKey(session)).block();
    return ttl == null || ttl.isNegative() || ttl.isZero() ? null : ttl;
  }

  /**
   * A demoted or deactivated user's tokens stop working within seconds, here as at the gateway and
   * every service (issue 21); a new login carries the new role.
   */
  @Test
  void demotedAndDeactivatedUsersLoseTheirTokensWithinSeconds() {
    Member member = newMember();
    String before = accessToken(member);
    get("/api/auth/profile", before, 200);

    changeUser(member, Map.of("role", "viewer"));
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> get("/api/auth/profile", before, 401));

    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () -> {
              String after = accessToken(member);
              assertThat(get("/api/auth/profile", after, 200).path("data").path("role").asString())
                  .isEqualTo("viewer");
            });

    String last = accessToken(member);
    changeUser(member, Map.of("is_active", false));
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> get("/api/auth/profile", last, 401));
  }

  private String accessToken(Member member) {
    return login(member.email(), member.password(), 200)
        .path("data")
        .path("access_token")
        .asString();
  }

  private void changeUser(Member member, Map<String, Object> change) {
    http.put()
        .uri("/api/tenants/users/" + member.id() + "/")
        .header("Authorization", "Bearer " + member.tenant().adminToken())
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(change)
        .exchange()
        .expectStatus()
        .isOk();
  }

  /** A body that is JSON null, or no JSON at all, is refused naming no Java type (issue 21). */
  @Test
  void nullAndGarbageBodiesAre400sWithoutJavaNames() {
    for (String path : List.of("/api/auth/login", "/api/tenants/auth/", "/api/auth/refresh")) {
      for (String body : List.of("null", "[]", "{\"email\": {}}", "not json", "")) {
        String answer =
            http.post()
                .uri(path)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body)
                .exchange()
                .expectStatus()
                .is4xxClientError() // 400, or the family's 422 for a body that fails validation
                .expectBody(String.class)
                .returnResult()
                .getResponseBody();
        assertThat(answer)
            .as("%s with %s", path, body)
            .doesNotContain("dev.cumulus", "java.", "reactor.", "Mono", "public ", "$");
      }
    }
  }

  @Test
  void profileCanBeReadAndUpdated() {
    Member member = newMember();
    String access =
        login(member.email(), member.password(), 200).path("data").path("access_token").asString();

    JsonNode profile = get("/api/auth/profile", access, 200);
    assertEnvelope(profile, "Profile retrieved successfully");
    assertThat(profile.path("data").path("email").asString()).isEqualTo(member.email());

    Map<String, Object> update =
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
                Map.of("email", true, "push", false)));
    JsonNode updated =
        json(
            http.put()
                .uri("/api/auth/profile")
                .header("Authorization", "Bearer " + access)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(update)
                .exchange()
                .expectStatus()
                .isOk());
    assertEnvelope(updated, "Profile updated successfully");
    assertThat(updated.path("data").path("name").asString()).isEqualTo("Updated Name");
    assertThat(
            get("/api/auth/profile", access, 200)
                .path("data")
                .path("preferences")
                .path("notifications")
                .path("push")
                .asBoolean(true))
        .isFalse();
  }

  @Test
  void adminsListUsersPagedAndOthersAreRefused() {
    Member member = newMember();
    JsonNode page = get("/api/users?page=1&limit=1", member.tenant().adminToken(), 200);
    assertEnvelope(page, "Data retrieved successfully");
    JsonNode pagination = page.path("data").path("pagination");
    assertThat(page.path("data").path("items").size()).isEqualTo(1);
    assertThat(pagination.path("page").asInt()).isEqualTo(1);
    assertThat(pagination.path("limit").asInt()).isEqualTo(1);
    assertThat(pagination.path("total").asInt()).isEqualTo(2); // boss and the new user
    assertThat(pagination.path("pages").asInt()).isEqualTo(2);
    assertThat(pagination.path("has_next").asBoolean()).isTrue();
    assertThat(pagination.path("has_prev").asBoolean()).isFalse();
    JsonNode item = page.path("data").path("items").get(0);
    for (String field :
        List.of(
            "id", "email", "name", "role", "active", "last_login", "created_at", "permissions")) {
      assertThat(item.has(field)).as(field).isTrue();
    }

    String memberToken =
        login(member.email(), member.password(), 200).path("data").path("access_token").asString();
    JsonNode refused = get("/api/users", memberToken, 403);
    assertThat(refused.path("error").path("code").asString()).isEqualTo("INSUFFICIENT_PERMISSIONS");
    post(
        "/api/users",
        memberToken,
        Map.of("email", "x@example.com", "password", "secure_password"),
        403);
  }

  @Test
  void defaultPermissionsFollowTheRole() {
    Tenant tenant = newTenant("free");
    JsonNode viewer =
        post(
            "/api/users",
            tenant.adminToken(),
            Map.of(
                "email",
                unique("v") + "@example.com",
                "password",
                "secure_password",
                "role",
                "viewer"),
            201);
    assertThat(viewer.path("data").path("permissions").toString())
        .isEqualTo("[\"container:read\",\"image:read\",\"update:read\"]");
  }

  @Test
  void anEmailInSeveralTenantsNeedsXTenantDomain() {
    Tenant one = newTenant("free");
    Tenant two = newTenant("free");
    String email = unique("shared") + "@example.com";
    for (Tenant t : List.of(one, two)) {
      post(
          "/api/users",
          t.adminToken(),
          Map.of("email", email, "name", "Shared", "password", "secure_password"),
          201);
    }
    JsonNode ambiguous = login(email, "secure_password", 400);
    assertThat(ambiguous.path("message").asString()).contains("X-Tenant-Domain");

    JsonNode chosen =
        json(
            http.post()
                .uri("/api/auth/login")
                .header("X-Forwarded-For", randomIp())
                .header("X-Tenant-Domain", two.domain())
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("email", email, "password", "secure_password"))
                .exchange()
                .expectStatus()
                .isOk());
    assertThat(chosen.path("data").path("access_token").asString()).isNotBlank();
  }

  /**
   * Users of other tenants with the same e-mail never push a user out of their login: with
   * X-Tenant-Domain the newest of 21 logs in (a first-20 cut would have left it out), and without
   * one the answer asks for it rather than calling the password wrong.
   */
  @Test
  void manyUsersSharingAnEmailCannotPushOneOutOfTheirLogin() {
    String email = unique("crowd") + "@example.com";
    String newest = null;
    for (int i = 0; i < 21; i++) {
      String id = unique("t");
      newest = id + ".example.com";
      post(
          "/api/admin/tenants",
          adminToken(),
          Map.of("id", id, "domain", newest, "name", "Tenant " + id, "plan", "free"),
          201);
      json(
          http.post()
              .uri("/api/tenants/users/")
              .header("Authorization", "Bearer " + adminToken())
              .header("X-Tenant-Domain", newest)
              .contentType(MediaType.APPLICATION_JSON)
              .bodyValue(
                  Map.of(
                      "username", "crowd",
                      "email", email,
                      "password", "crowd-password",
                      "role", "admin"))
              .exchange()
              .expectStatus()
              .isCreated());
    }
    JsonNode chosen =
        json(
            http.post()
                .uri("/api/auth/login")
                .header("X-Forwarded-For", randomIp())
                .header("X-Tenant-Domain", newest)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("email", email, "password", "crowd-password"))
                .exchange()
                .expectStatus()
                .isOk());
    assertThat(chosen.path("data").path("access_token").asString()).isNotBlank();
    JsonNode ambiguous = login(email, "crowd-password", 400);
    assertThat(ambiguous.path("message").asString()).contains("X-Tenant-Domain");
  }

  /** A hash made with weaker parameters is replaced at the next successful login. */
  @Test
  void aLoginReplacesAWeakerPasswordHash() {
    Tenant tenant = newTenant("free");
    String email = unique("rehash") + "@example.com";
    post(
        "/api/users",
        tenant.adminToken(),
        Map.of("email", email, "name", "Old", "password", "secure_password"),
        201);
    String weaker =
        Argon2PasswordEncoder.defaultsForSpringSecurity_v5_8().encode("secure_password");
    db.sql("UPDATE users SET password_hash = :hash WHERE lower(email) = lower(:email)")
        .bind("hash", weaker)
        .bind("email", email)
        .fetch()
        .rowsUpdated()
        .block();

    login(email, "secure_password", 200);
    String stored =
        db.sql("SELECT password_hash FROM users WHERE lower(email) = lower(:email)")
            .bind("email", email)
            .map(row -> row.get(0, String.class))
            .one()
            .block();
    assertThat(stored).startsWith("$argon2id$v=19$m=19456,t=2,p=1$");
    login(email, "secure_password", 200);
  }
}
