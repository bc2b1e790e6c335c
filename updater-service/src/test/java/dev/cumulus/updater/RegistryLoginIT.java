package dev.cumulus.updater;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;
import tools.jackson.databind.JsonNode;

/**
 * Private-registry logins against a real registry behind htpasswd (Debian's docker-registry): the
 * registry's Basic challenge is answered with the tenant's login only, the password is sealed at
 * rest and never shown, and another tenant neither sees the login nor gets in with it.
 */
class RegistryLoginIT extends UpdaterIntegrationTest {

  @Test
  void aTenantsLoginOpensItsPrivateRegistryAndNoOneElses() {
    TestEngine.assumeAvailable();
    PrivateRegistry.PLAIN.start();
    String image =
        PrivateRegistry.PLAIN.host() + "/team/app-" + UUID.randomUUID().toString().substring(0, 8);
    String digest =
        TestEngine.pushWebImage(
            image, "latest", "v1", true, PrivateRegistry.USER + ":" + PrivateRegistry.PASSWORD);
    String registryPath = "/api/images/registries/" + PrivateRegistry.PLAIN.host();

    // No login: the registry's challenge goes unanswered.
    assertThat(check(token, image).path("error").asString()).contains("wants a login");

    // A wrong password is saved (the registry decides), and refused by the registry.
    JsonNode created =
        call(
            HttpMethod.PUT,
            registryPath,
            "{\"username\": \"robot\", \"password\": \"wrong\"}",
            token,
            201);
    assertThat(created.path("message").asString()).isEqualTo("Registry login created");
    assertThat(check(token, image).path("error").asString()).contains("refused the login");

    JsonNode updated =
        call(
            HttpMethod.PUT,
            registryPath,
            "{\"username\": \"robot\", \"password\": \"" + PrivateRegistry.PASSWORD + "\"}",
            token,
            200);
    assertThat(updated.path("message").asString()).isEqualTo("Registry login updated");
    JsonNode found = check(token, image);
    assertThat(found.has("error")).isFalse();
    assertThat(found.path("latest_digest").asString()).isEqualTo(digest);

    // Shown without its password; sealed at rest.
    JsonNode shown = call(HttpMethod.GET, registryPath, null, token, 200).path("data");
    assertThat(shown.path("registry").asString()).isEqualTo(PrivateRegistry.PLAIN.host());
    assertThat(shown.path("username").asString()).isEqualTo("robot");
    assertThat(shown.toString())
        .doesNotContain(PrivateRegistry.PASSWORD)
        .doesNotContain("password");
    assertThat(
            call(HttpMethod.GET, "/api/images/registries", null, token, 200)
                .path("data")
                .path("items")
                .size())
        .isEqualTo(1);
    byte[] sealed =
        db.sql("SELECT password_sealed FROM registry_logins WHERE tenant_id = :t")
            .bind("t", tenant)
            .map(row -> row.get("password_sealed", byte[].class))
            .one()
            .block();
    assertThat(new String(sealed, StandardCharsets.ISO_8859_1))
        .doesNotContain(PrivateRegistry.PASSWORD);

    // Another tenant: no login to see, and the first tenant's cached login is not used for it.
    String other = token("t-" + UUID.randomUUID(), WRITER);
    call(HttpMethod.GET, registryPath, null, other, 404);
    assertThat(check(other, image).path("error").asString()).contains("wants a login");

    // Deleted: the registry is closed to the tenant again.
    call(HttpMethod.DELETE, registryPath, null, token, 200);
    call(HttpMethod.GET, registryPath, null, token, 404);
    call(HttpMethod.DELETE, registryPath, null, token, 404);
    assertThat(check(token, image).path("error").asString()).contains("wants a login");
  }

  @Test
  void aPrivateImageTheEngineHasDoesNotRunForATenantWithoutAccess() {
    TestEngine.assumeAvailable();
    PrivateRegistry.PLAIN.start();
    String image =
        PrivateRegistry.PLAIN.host()
            + "/team/secret-"
            + UUID.randomUUID().toString().substring(0, 8);
    String login = PrivateRegistry.USER + ":" + PrivateRegistry.PASSWORD;
    TestEngine.pushWebImage(image, "latest", "v1", true, login);
    // Someone with access pulled it: the engine's image store, shared by all tenants, has it.
    TestEngine.podman("pull", "-q", "--tls-verify=false", "--creds", login, image + ":latest");
    try {
      String body =
          seedContainer("borrowed", image + ":latest", 0)
              .replace(
                  "\"ports\": [{\"host\": 0, \"container\": 8080, \"protocol\": \"tcp\"}],", "");
      JsonNode refused = create(body, 400);
      assertThat(refused.path("error").path("code").asString()).isEqualTo("DOCKER_ERROR");
      assertThat(
              TestEngine.podman("ps", "-aq", "--filter", "label=dev.cumulus.tenant=" + tenant)
                  .trim())
          .isEmpty();
    } finally {
      TestEngine.podman("rmi", "-f", image + ":latest");
    }
  }

  @Test
  void theEnginePullsAPrivateImageWithTheTenantsLoginOnlyForThatTenant() {
    TestEngine.assumeAvailable();
    PrivateRegistry registry = PrivateRegistry.TLS;
    registry.start();
    String image =
        registry.host() + "/team/private-" + UUID.randomUUID().toString().substring(0, 8);
    String login = PrivateRegistry.USER + ":" + PrivateRegistry.PASSWORD;
    TestEngine.pushWebImage(image, "latest", "v1", true, login);
    String body =
        seedContainer("private-web", image + ":latest", 0)
            .replace("\"ports\": [{\"host\": 0, \"container\": 8080, \"protocol\": \"tcp\"}],", "");
    String other = "t-" + UUID.randomUUID();
    try {
      // No login yet: the registry refuses the engine's pull, the seed's error, no container.
      assertThat(create(body, 400).path("error").path("code").asString()).isEqualTo("DOCKER_ERROR");

      call(
          HttpMethod.PUT,
          "/api/images/registries/" + registry.host(),
          "{\"username\": \"robot\", \"password\": \"" + PrivateRegistry.PASSWORD + "\"}",
          token,
          201);
      JsonNode created = create(body, 201).path("data");
      assertThat(created.path("status").asString()).isEqualTo("running");
      assertThat(served(created.path("id").asLong())).isEqualTo("v1");

      // Another tenant, without a login, while the engine holds the image: refused all the same.
      JsonNode refused = create(token(other, WRITER), body, 400);
      assertThat(refused.path("error").path("code").asString()).isEqualTo("DOCKER_ERROR");
      assertThat(
              TestEngine.podman("ps", "-aq", "--filter", "label=dev.cumulus.tenant=" + other)
                  .trim())
          .isEmpty();
    } finally {
      TestEngine.removeContainersOf(tenant);
      TestEngine.removeContainersOf(other);
      TestEngine.podman("rmi", "-f", "--ignore", image + ":latest");
    }
  }

  @Test
  void badLoginsAndCallersWithoutThePermissionAreRefused() {
    String path = "/api/images/registries/registry.example.com";
    JsonNode missing = call(HttpMethod.PUT, path, "{\"username\": \"robot\"}", token, 422);
    assertThat(missing.path("error").path("code").asString()).isEqualTo("VALIDATION_ERROR");
    assertThat(missing.path("error").path("fields").has("password")).isTrue();
    JsonNode badHost =
        call(
            HttpMethod.PUT,
            "/api/images/registries/not a host!",
            "{\"username\": \"u\", \"password\": \"p\"}",
            token,
            422);
    assertThat(badHost.path("error").path("fields").has("registry")).isTrue();
    call(HttpMethod.PUT, path, "{\"username\": [1]}", token, 400);

    String reader = token(tenant, List.of("image:read"));
    JsonNode refused =
        call(HttpMethod.PUT, path, "{\"username\": \"u\", \"password\": \"p\"}", reader, 403);
    assertThat(refused.path("error").path("code").asString()).isEqualTo("INSUFFICIENT_PERMISSIONS");
    call(HttpMethod.GET, path, null, reader, 404);
    call(HttpMethod.GET, path, null, null, 401);

    // Docker Hub's aliases are one registry.
    call(
        HttpMethod.PUT,
        "/api/images/registries/index.docker.io",
        "{\"username\": \"u\", \"password\": \"p\"}",
        token,
        201);
    assertThat(
            call(HttpMethod.GET, "/api/images/registries/docker.io", null, token, 200)
                .path("data")
                .path("registry")
                .asString())
        .isEqualTo("docker.io");
  }

  JsonNode check(String as, String image) {
    return call(
            HttpMethod.POST,
            "/api/images/check-updates",
            "{\"images\": [\"" + image + ":latest\"]}",
            as,
            200)
        .path("data")
        .path("updates")
        .get(0);
  }
}
