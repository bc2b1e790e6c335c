package dev.cumulus.platform.authclient;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** Where services find auth-service, and how long they keep its signing keys. */
class AuthServicePropertiesTests {

  @Test
  void defaultsWorkOnOneMachine() {
    AuthServiceProperties auth = bind(Map.of());
    assertThat(auth.url()).isEqualTo(URI.create("http://127.0.0.1:8081"));
    assertThat(auth.timeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(auth.signingKeyCacheTtl()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void everySettingCanBeChanged() {
    AuthServiceProperties auth =
        bind(
            Map.of(
                "cumulus.auth-service.url", "http://auth:9000",
                "cumulus.auth-service.timeout", "500ms",
                "cumulus.auth-service.signing-key-cache-ttl", "5s"));
    assertThat(auth.url()).isEqualTo(URI.create("http://auth:9000"));
    assertThat(auth.timeout()).isEqualTo(Duration.ofMillis(500));
    assertThat(auth.signingKeyCacheTtl()).isEqualTo(Duration.ofSeconds(5));
  }

  private static AuthServiceProperties bind(Map<String, String> properties) {
    return new Binder(new MapConfigurationPropertySource(properties))
        .bindOrCreate("cumulus.auth-service", AuthServiceProperties.class);
  }
}
