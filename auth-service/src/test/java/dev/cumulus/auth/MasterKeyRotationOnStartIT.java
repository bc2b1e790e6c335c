package dev.cumulus.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cumulus.auth.keys.persistence.SigningKeyRepository;
import dev.cumulus.platform.crypto.MasterKey;
import dev.cumulus.platform.testsupport.CumulusTestProperties;
import dev.cumulus.platform.testsupport.TestClients;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.r2dbc.core.DatabaseClient;

/**
 * The rotation as an operator runs it: auth-service starts under one master key, then restarts with
 * a new one and the old one in {@code previous-master-keys}; after start-up every sealed value
 * opens under the new key alone, and the service goes on signing tokens with its old signing key.
 */
class MasterKeyRotationOnStartIT {

  @Test
  void aRestartWithANewKeyAndTheOldOneAsPreviousSealsEverythingAgainUnderTheNewKey()
      throws Exception {
    Map<String, Object> settings = new LinkedHashMap<>();
    CumulusTestProperties.register((name, value) -> settings.put(name, value.get()), "authrotate");
    settings.put("server.port", 0);
    settings.put("cumulus.auth.brute-force.key-prefix", "test:" + UUID.randomUUID() + ":bf:");
    String old = MasterKey.generateBase64();
    String next = MasterKey.generateBase64();

    String kid;
    try (ConfigurableApplicationContext first = start(settings, old, "")) {
      kid = activeKid(first, MasterKey.fromBase64(old));
      assertThat(jwks(first)).contains(kid);
    }

    try (ConfigurableApplicationContext second = start(settings, next, old)) {
      DatabaseClient db = second.getBean(DatabaseClient.class);
      MasterKey newOnly = MasterKey.fromBase64(next);
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (!allOpen(db, newOnly) && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      assertThat(allOpen(db, newOnly)).as("every signing key sealed under the new key").isTrue();
      assertThat(activeKid(second, newOnly)).isEqualTo(kid);
      assertThat(jwks(second)).contains(kid);
    }
  }

  private static ConfigurableApplicationContext start(
      Map<String, Object> settings, String masterKey, String previous) {
    List<String> args = new ArrayList<>();
    settings.forEach((name, value) -> args.add("--" + name + "=" + value));
    args.add("--cumulus.auth.master-key=" + masterKey);
    args.add("--cumulus.auth.previous-master-keys=" + previous);
    return new SpringApplicationBuilder(AuthApplication.class).run(args.toArray(String[]::new));
  }

  private static String activeKid(ConfigurableApplicationContext context, MasterKey key) {
    return new SigningKeyRepository(context.getBean(DatabaseClient.class), key)
        .findActive()
        .block(Duration.ofSeconds(10))
        .kid();
  }

  /** Whether the key alone opens every stored signing key. */
  private static boolean allOpen(DatabaseClient db, MasterKey key) {
    try {
      new SigningKeyRepository(db, key).findPublished().then().block(Duration.ofSeconds(10));
      return true;
    } catch (IllegalStateException e) {
      return false;
    }
  }

  private static String jwks(ConfigurableApplicationContext context) {
    int port = ((WebServerApplicationContext) context).getWebServer().getPort();
    return new String(
        TestClients.http(port)
            .get()
            .uri("/.well-known/jwks.json")
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody()
            .returnResult()
            .getResponseBody());
  }
}
