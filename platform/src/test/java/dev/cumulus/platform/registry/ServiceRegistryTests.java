package dev.cumulus.platform.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cumulus.platform.error.ApiFamily;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The packaged services.yml is consistent, and a malformed one is refused with its entry named. */
class ServiceRegistryTests {

  private final ServiceRegistry registry = ServiceRegistry.packaged();

  @Test
  void namesPortsAndKeysAreUniqueAndEveryPathHasOneOwner() {
    List<ServiceRegistry.Service> services = registry.services();
    assertThat(services).extracting(ServiceRegistry.Service::name).doesNotHaveDuplicates();
    assertThat(services).extracting(ServiceRegistry.Service::port).doesNotHaveDuplicates();
    assertThat(services).extracting(ServiceRegistry.Service::key).doesNotHaveDuplicates();
    Set<String> paths = new HashSet<>();
    for (ServiceRegistry.Route route : registry.routes()) {
      for (String path : route.paths()) {
        assertThat(paths.add(path)).as("%s is routed twice", path).isTrue();
      }
    }
    Set<String> types = new HashSet<>();
    services.forEach(
        s ->
            s.instanceTypes()
                .forEach(t -> assertThat(types.add(t)).as("%s hosted twice", t).isTrue()));
    assertThat(types)
        .containsExactlyInAnyOrder(
            "s3storage", "rdsdatabase", "nosqldatabase", "queue", "function", "kafka");
  }

  @Test
  void readsEachServicesSettings() {
    ServiceRegistry.Service storage = registry.service("storage-service").orElseThrow();
    assertThat(storage.port()).isEqualTo(8082);
    assertThat(storage.built()).isTrue();
    assertThat(storage.urlVariable()).isEqualTo("CUMULUS_STORAGE_URL");
    assertThat(storage.portVariable()).isEqualTo("CUMULUS_STORAGE_PORT");
    ServiceRegistry.Route s3 = storage.routes().get(1);
    assertThat(s3.family()).isEqualTo(ApiFamily.S3);
    assertThat(s3.preserveHost()).isTrue();
    assertThat(s3.responseTimeout()).isEqualTo(Duration.ofSeconds(120));
    ServiceRegistry.Service kafka = registry.service("kafka-service").orElseThrow();
    assertThat(kafka.urlVariable()).isEqualTo("CUMULUS_KAFKA_SERVICE_URL");
    assertThat(kafka.portVariable()).isEqualTo("CUMULUS_KAFKA_PORT");
    assertThat(registry.service("updater-service").orElseThrow().routes().get(0).websocket())
        .isTrue();
  }

  @Test
  void aMalformedEntryIsRefusedWithItsServiceNamed() {
    String yaml =
        """
        services:
          - name: broken-service
            port: 9999
            key: BROKEN
            routes:
              - family: NO_SUCH_FAMILY
                paths: [/x]
        """;
    assertThatThrownBy(
            () ->
                ServiceRegistry.parse(
                    new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8))))
        .hasMessageContaining("broken-service");
  }
}
