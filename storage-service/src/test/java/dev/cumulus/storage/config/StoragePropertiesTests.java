package dev.cumulus.storage.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.util.unit.DataSize;

/** Storage settings: their defaults, and the environment variables the README documents. */
class StoragePropertiesTests {

  @Test
  void everySettingHasItsDefault() {
    StorageProperties properties = bind(Map.of());
    assertThat(properties.inlineThreshold()).isEqualTo(DataSize.ofKilobytes(32));
    assertThat(properties.commitBatch().maxSize()).isEqualTo(32);
    assertThat(properties.commitBatch().maxInFlight()).isEqualTo(2);
    assertThat(properties.bucketReadCacheTtl()).isEqualTo(Duration.ofSeconds(2));
    assertThat(properties.janitorGrace()).isEqualTo(Duration.ofMinutes(5));
    assertThat(properties.s3().pathPrefix()).isEqualTo("/s3");
    assertThat(properties.s3().region()).isEqualTo("us-east-1");
  }

  @Test
  void environmentVariablesBindWithoutMappings() {
    StorageProperties properties =
        bind(
            Map.of(
                "CUMULUS_STORAGE_INLINE_THRESHOLD", "0",
                "CUMULUS_STORAGE_COMMIT_BATCH_MAX_IN_FLIGHT", "8",
                "CUMULUS_STORAGE_JANITOR_GRACE", "1m",
                // application.yml maps CUMULUS_S3_REGION here; unset, it binds blank
                "CUMULUS_STORAGE_S3_REGION", ""));
    assertThat(properties.inlineThreshold()).isEqualTo(DataSize.ofBytes(0));
    assertThat(properties.commitBatch().maxInFlight()).isEqualTo(8);
    assertThat(properties.commitBatch().maxSize()).isEqualTo(32);
    assertThat(properties.janitorGrace()).isEqualTo(Duration.ofMinutes(1));
    assertThat(properties.s3().region()).isEqualTo("us-east-1");
  }

  private static StorageProperties bind(Map<String, Object> environment) {
    MutablePropertySources sources = new MutablePropertySources();
    // Named as Spring Boot names the process environment: that name selects its relaxed mapping.
    sources.addFirst(
        new SystemEnvironmentPropertySource(
            StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, environment));
    return new Binder(ConfigurationPropertySources.from(sources))
        .bindOrCreate("cumulus.storage", StorageProperties.class);
  }
}
