package dev.cumulus.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cumulus.platform.testsupport.CumulusTestProperties;
import dev.cumulus.platform.testsupport.TestClients;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;

/**
 * The dev profile as {@code ./cumulus up} runs it, with no secrets configured: the master key and
 * the administrator's password are generated into 0600 files, and seed 001's {@code /auth/token} is
 * open. Redis is unreachable here, so logins also show the brute-force guard failing open.
 */
@SpringBootTest(
    classes = AuthApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("dev")
class DevProfileIT {

  static final Path DATA;

  static {
    try {
      DATA = Files.createTempDirectory("cumulus-auth-dev");
    } catch (IOException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  @LocalServerPort int port;

  @DynamicPropertySource
  static void infrastructure(DynamicPropertyRegistry registry) throws IOException {
    CumulusTestProperties.register(registry, "authdev");
    registry.add("cumulus.auth.master-key", () -> "");
    registry.add("cumulus.auth.admin.password", () -> "");
    registry.add("cumulus.auth.master-key-file", () -> DATA.resolve("auth/master.key").toString());
    registry.add(
        "cumulus.auth.admin.password-file", () -> DATA.resolve("auth/admin-password").toString());
    int deadPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      deadPort = socket.getLocalPort(); // closed again: nothing listens there
    }
    registry.add("spring.data.redis.port", () -> deadPort);
  }

  @Test
  void generatesSecretsIntoPrivateFilesAndOpensTheTokenEndpoint() throws Exception {
    Path masterKey = DATA.resolve("auth/master.key");
    Path password = DATA.resolve("auth/admin-password");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(masterKey)))
        .isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(password)))
        .isEqualTo("rw-------");
    assertThat(java.util.Base64.getDecoder().decode(Files.readString(masterKey).trim()))
        .hasSize(32);

    WebTestClient http = TestClients.http(port);
    // Seed 001 with no token at all.
    JsonNode token =
        AuthIT.json(
            http.post()
                .uri("/auth/token")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(
                    Map.of("user_id", "alice", "username", "Alice", "email", "alice@company.com"))
                .exchange()
                .expectStatus()
                .isOk());
    assertThat(token.path("namespace").asString()).isEqualTo("tenant-alice");

    // The generated password logs in, although Redis (the failure counters) is down.
    String generated = Files.readString(password).trim();
    assertThat(generated).hasSizeGreaterThanOrEqualTo(20);
    http.post()
        .uri("/api/tenants/auth/")
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(Map.of("username", "admin", "password", generated, "tenant_domain", "default"))
        .exchange()
        .expectStatus()
        .isOk();
    http.post()
        .uri("/api/auth/login")
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(Map.of("email", "admin@cumulus.local", "password", "wrong-password"))
        .exchange()
        .expectStatus()
        .isUnauthorized();

    // No cumulus.internal.secret: the S3 signing-key lookup is disabled, whatever is sent.
    http.post()
        .uri("/internal/auth/s3/signing-key")
        .header("X-Cumulus-Internal-Secret", "")
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(
            Map.of(
                "accessKeyId",
                "CK000000000000000000",
                "date",
                "20261130",
                "region",
                "us-east-1",
                "service",
                "s3"))
        .exchange()
        .expectStatus()
        .isUnauthorized();
  }
}
