package dev.cumulus.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.SignedJWT;
import dev.cumulus.platform.testsupport.CumulusTestProperties;
import dev.cumulus.platform.testsupport.TestClients;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.test.web.reactive.server.WebTestClient.ResponseSpec;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * Base of auth-service's HTTP integration tests: one booted service (real PostgreSQL, Redis and
 * Kafka) shared by every subclass, called over HTTP on its port. Tests share the database, so each
 * makes its own tenants and users with unique names.
 */
@SpringBootTest(
    classes = AuthApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
abstract class AuthIT {

  static final ObjectMapper JSON = JsonMapper.builder().build();
  static final String ADMIN_PASSWORD = "admin123";

  /** {@code cumulus.internal.secret}: storage-service's credential for the S3 signing-key call. */
  static final String INTERNAL_SECRET = "test-internal-secret";

  @LocalServerPort int port;

  WebTestClient http;

  @DynamicPropertySource
  static void infrastructure(DynamicPropertyRegistry registry) {
    CumulusTestProperties.register(registry, "auth");
    // Redis outlives test runs: fresh counters for each booted service.
    registry.add("cumulus.auth.brute-force.key-prefix", () -> "test:" + UUID.randomUUID() + ":bf:");
    // Long enough that "refused at once" holds on a slow machine, short enough to wait out.
    registry.add("cumulus.auth.brute-force.base-delay", () -> "3s");
    registry.add("cumulus.internal.secret", () -> INTERNAL_SECRET);
    // storage-service's usage endpoint, for GET /api/usage (QuotasIT).
    registry.add("CUMULUS_STORAGE_URL", StorageUsageStandIn::url);
  }

  @BeforeEach
  void client() {
    http = TestClients.http(port);
  }

  // ---------------------------------------------------------------------------------------------
  // HTTP helpers

  static JsonNode json(ResponseSpec response) {
    byte[] body = response.expectBody().returnResult().getResponseBodyContent();
    return body == null || body.length == 0 ? JSON.nullNode() : JSON.readTree(body);
  }

  JsonNode post(String path, String token, Object body, int status) {
    WebTestClient.RequestBodySpec spec =
        http.post().uri(path).contentType(MediaType.APPLICATION_JSON);
    if (token != null) {
      spec.header("Authorization", "Bearer " + token);
    }
    return json(spec.bodyValue(body).exchange().expectStatus().isEqualTo(status));
  }

  JsonNode get(String path, String token, int status) {
    WebTestClient.RequestHeadersSpec<?> spec = http.get().uri(path);
    if (token != null) {
      spec.header("Authorization", "Bearer " + token);
    }
    return json(spec.exchange().expectStatus().isEqualTo(status));
  }

  /** A random client address, so per-IP login counters of different tests never meet. */
  static String randomIp() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    return "10." + r.nextInt(256) + "." + r.nextInt(256) + "." + (1 + r.nextInt(254));
  }

  static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  // ---------------------------------------------------------------------------------------------
  // Scenario helpers

  /** Seed 003's login of the bootstrap administrator. */
  String adminToken() {
    return ADMIN_TOKENS.computeIfAbsent(port, p -> tenantLogin("admin", ADMIN_PASSWORD, "default"));
  }

  private static final Map<Integer, String> ADMIN_TOKENS =
      new java.util.concurrent.ConcurrentHashMap<>();

  String tenantLogin(String username, String password, String domain) {
    JsonNode body =
        json(
            http.post()
                .uri("/api/tenants/auth/")
                .header("X-Forwarded-For", randomIp())
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(
                    Map.of("username", username, "password", password, "tenant_domain", domain))
                .exchange()
                .expectStatus()
                .isOk());
    return body.path("data").path("token").asString();
  }

  /** A new tenant (platform admin API) with an admin user; returns that admin's token. */
  Tenant newTenant(String plan) {
    String id = unique("t");
    post(
        "/api/admin/tenants",
        adminToken(),
        Map.of("id", id, "domain", id + ".example.com", "name", "Tenant " + id, "plan", plan),
        201);
    // The platform admin creates the tenant's first admin through X-Tenant-Domain.
    json(
        http.post()
            .uri("/api/tenants/users/")
            .header("Authorization", "Bearer " + adminToken())
            .header("X-Tenant-Domain", id + ".example.com")
            .contentType(MediaType.APPLICATION_JSON)
            .bodyValue(
                Map.of(
                    "username",
                    "boss",
                    "email",
                    "boss@" + id + ".example.com",
                    "password",
                    "boss-password",
                    "role",
                    "admin"))
            .exchange()
            .expectStatus()
            .isCreated());
    String token = tenantLogin("boss", "boss-password", id + ".example.com");
    return new Tenant(id, id + ".example.com", token);
  }

  record Tenant(String id, String domain, String adminToken) {}

  /** Verifies the token's signature against the service's JWKS and returns its claims. */
  Map<String, Object> verified(String token) throws Exception {
    SignedJWT jwt = SignedJWT.parse(token);
    JsonNode jwks = get("/.well-known/jwks.json", null, 200);
    JWKSet set = JWKSet.parse(JSON.writeValueAsString(jwks));
    RSAKey key = (RSAKey) set.getKeyByKeyId(jwt.getHeader().getKeyID());
    assertThat(key).as("JWKS publishes kid %s", jwt.getHeader().getKeyID()).isNotNull();
    assertThat(jwt.getHeader().getAlgorithm().getName()).isEqualTo("RS256");
    assertThat(jwt.verify(new RSASSAVerifier(key))).isTrue();
    return jwt.getJWTClaimsSet().getClaims();
  }
}
