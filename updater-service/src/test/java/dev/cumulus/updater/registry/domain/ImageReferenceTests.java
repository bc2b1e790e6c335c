package dev.cumulus.updater.registry.domain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ImageReferenceTests {

  @Test
  void dockerHubShortNamesLiveUnderLibrary() {
    var nginx = ImageReference.parse("nginx");
    assertThat(nginx.registry()).isEqualTo("docker.io");
    assertThat(nginx.apiHost()).isEqualTo("registry-1.docker.io");
    assertThat(nginx.repository()).isEqualTo("library/nginx");
    assertThat(nginx.tag()).isEqualTo("latest");
    assertThat(nginx.canonical()).isEqualTo("nginx:latest");
    assertThat(ImageReference.parse("redis:7").reference()).isEqualTo("7");
    assertThat(ImageReference.parse("grafana/grafana:10").repository())
        .isEqualTo("grafana/grafana");
  }

  @Test
  void privateRegistriesKeepTheirHostAndPort() {
    var app = ImageReference.parse("127.0.0.1:5000/team/app:v2");
    assertThat(app.registry()).isEqualTo("127.0.0.1:5000");
    assertThat(app.repository()).isEqualTo("team/app");
    assertThat(app.tag()).isEqualTo("v2");
    assertThat(app.engineRepository()).isEqualTo("127.0.0.1:5000/team/app");
    assertThat(ImageReference.parse("localhost/app").registry()).isEqualTo("localhost");
    assertThat(ImageReference.parse("ghcr.io/o/r").tag()).isEqualTo("latest");
  }

  @Test
  void digestsPinOneManifest() {
    String digest = "sha256:" + "e".repeat(64);
    var pinned = ImageReference.parse("127.0.0.1:5000/team/app@" + digest);
    assertThat(pinned.digest()).isEqualTo(digest);
    assertThat(pinned.tag()).isNull();
    assertThat(pinned.reference()).isEqualTo(digest);
    assertThat(pinned.canonical()).isEqualTo("127.0.0.1:5000/team/app@" + digest);
    assertThat(ImageReference.parse("nginx:1.25").pinned(digest)).isEqualTo("nginx@" + digest);
  }

  @Test
  void bearerChallengesAreParsed() {
    var challenge =
        BearerChallenge.parse(
            "Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\","
                + "scope=\"repository:library/nginx:pull\"");
    assertThat(challenge.realm()).isEqualTo("https://auth.docker.io/token");
    assertThat(challenge.service()).isEqualTo("registry.docker.io");
    assertThat(challenge.scope()).isEqualTo("repository:library/nginx:pull");
    assertThat(BearerChallenge.parse("Basic realm=\"x\"")).isNull();
    assertThat(BearerChallenge.parse(null)).isNull();
  }
}
