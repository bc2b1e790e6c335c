package dev.cumulus.updater.registry.domain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RegistryNamesTests {

  @Test
  void hostsAreLowerCasedAndDockerHubsAliasesAreOneName() {
    assertThat(RegistryNames.normalize(" GHCR.io ")).isEqualTo("ghcr.io");
    assertThat(RegistryNames.normalize("127.0.0.1:5001")).isEqualTo("127.0.0.1:5001");
    assertThat(RegistryNames.normalize("localhost")).isEqualTo("localhost");
    for (String hub : new String[] {"docker.io", "index.docker.io", "registry-1.docker.io"}) {
      assertThat(RegistryNames.normalize(hub)).isEqualTo("docker.io");
    }
    // What an image reference names is what a login is stored under.
    assertThat(RegistryNames.normalize(ImageReference.parse("nginx:1").registry()))
        .isEqualTo("docker.io");
  }

  @Test
  void anythingButHostAndPortIsRefused() {
    for (String bad :
        new String[] {
          "", "not a host", "host/path", "-bad.example", "host:port", "a..b", "user@host", null
        }) {
      assertThat(RegistryNames.normalize(bad)).as(String.valueOf(bad)).isNull();
    }
  }
}
