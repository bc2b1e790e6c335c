package dev.cumulus.gateway.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

class ConsoleRoutesTests {

  private static final byte[] INDEX = "<!doctype html><title>console</title>".getBytes();
  private static final byte[] SCRIPT = "console.log(1)".getBytes(StandardCharsets.UTF_8);

  private final WebTestClient client =
      WebTestClient.bindToRouterFunction(
              new ConsoleRoutes(
                      new ConsoleFiles(
                          Map.of(
                              "index.html", ConsoleFiles.file("index.html", INDEX),
                              "assets/index-abc.js",
                                  ConsoleFiles.file("assets/index-abc.js", SCRIPT))))
                  .routes())
          .build();

  @Test
  void servesTheIndexWithTheContentSecurityPolicyAndRevalidation() {
    client
        .get()
        .uri("/console/index.html")
        .exchange()
        .expectStatus()
        .isOk()
        .expectHeader()
        .contentTypeCompatibleWith(MediaType.TEXT_HTML)
        .expectHeader()
        .valueEquals("Content-Security-Policy", ConsoleRoutes.CONTENT_SECURITY_POLICY)
        .expectHeader()
        .valueEquals(HttpHeaders.CACHE_CONTROL, "no-cache")
        .expectBody()
        .consumeWith(body -> assertThat(body.getResponseBody()).isEqualTo(INDEX));
  }

  @Test
  void theAppsOwnAddressesLoadTheIndexSoBookmarksWork() {
    for (String address :
        new String[] {"/console/", "/console/storage", "/console/services/kafka"}) {
      client
          .get()
          .uri(address)
          .exchange()
          .expectStatus()
          .isOk()
          .expectBody()
          .consumeWith(body -> assertThat(body.getResponseBody()).isEqualTo(INDEX));
    }
  }

  @Test
  void hashedAssetsAreCachedForAYearAndAMissingFileIsNotTheIndex() {
    client
        .get()
        .uri("/console/assets/index-abc.js")
        .exchange()
        .expectStatus()
        .isOk()
        .expectHeader()
        .valueEquals(HttpHeaders.CACHE_CONTROL, "public, max-age=31536000, immutable")
        .expectHeader()
        .value(HttpHeaders.CONTENT_TYPE, type -> assertThat(type).contains("javascript"));
    client
        .get()
        .uri("/console/assets/index-old.js")
        .exchange()
        .expectStatus()
        .isNotFound()
        .expectHeader()
        .exists("Content-Security-Policy");
  }

  @Test
  void aKnownEtagAnswersNotModifiedWithoutBody() {
    String etag = ConsoleFiles.file("assets/index-abc.js", SCRIPT).etag();
    client
        .get()
        .uri("/console/assets/index-abc.js")
        .header(HttpHeaders.IF_NONE_MATCH, etag)
        .exchange()
        .expectStatus()
        .isNotModified()
        .expectBody()
        .isEmpty();
  }

  @Test
  void theBareConsoleAddressRedirectsToTheIndex() {
    client
        .get()
        .uri("/console")
        .exchange()
        .expectStatus()
        .isEqualTo(301)
        .expectHeader()
        .location("/console/");
  }

  @Test
  void withoutBuiltFilesTheAppAddressesSaySo() {
    WebTestClient empty =
        WebTestClient.bindToRouterFunction(new ConsoleRoutes(new ConsoleFiles(Map.of())).routes())
            .build();
    empty.get().uri("/console/").exchange().expectStatus().isEqualTo(503);
  }

  @Test
  void aFileNameWithAnExtensionIsNotAnAppAddress() {
    assertThat(ConsoleRoutes.isAppAddress("storage/0b6a3c2e")).isTrue();
    assertThat(ConsoleRoutes.isAppAddress("")).isTrue();
    assertThat(ConsoleRoutes.isAppAddress("favicon.ico")).isFalse();
  }
}
