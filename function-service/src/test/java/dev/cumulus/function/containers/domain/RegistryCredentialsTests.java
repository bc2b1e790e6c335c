package dev.cumulus.function.containers.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cumulus.platform.error.ApiException;
import org.junit.jupiter.api.Test;

/** Which registry an image names, and credentials that never show their password. */
class RegistryCredentialsTests {

  @Test
  void theRegistryIsTheImagesFirstComponentWhenItIsAHostElseDockerHub() {
    assertThat(RegistryCredentials.registryOf("127.0.0.1:5000/demo/busybox:latest"))
        .isEqualTo("127.0.0.1:5000");
    assertThat(RegistryCredentials.registryOf("ghcr.io/org/app@sha256:abc")).isEqualTo("ghcr.io");
    assertThat(RegistryCredentials.registryOf("localhost/app")).isEqualTo("localhost");
    assertThat(RegistryCredentials.registryOf("team/app:1")).isEqualTo("docker.io");
    assertThat(RegistryCredentials.registryOf("nginx:alpine")).isEqualTo("docker.io");
  }

  @Test
  void thePasswordIsNeverPrinted() {
    assertThat(new RegistryCredentials("robot", "hunter2").toString())
        .contains("robot")
        .doesNotContain("hunter2");
  }

  @Test
  void bothFieldsAreRequiredAndPrintable() {
    assertThat(ContainerFunctionRules.registryCredentials(null)).isNull();
    assertThatThrownBy(
            () -> ContainerFunctionRules.registryCredentials(new RegistryCredentials("", "x")))
        .isInstanceOf(ApiException.class)
        .hasMessageContaining("username");
    assertThatThrownBy(
            () ->
                ContainerFunctionRules.registryCredentials(
                    new RegistryCredentials("robot", "a\nb")))
        .isInstanceOf(ApiException.class)
        .hasMessageContaining("password");
  }
}
