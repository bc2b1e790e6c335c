package dev.cumulus.gateway.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.mock.http.server.reactive.MockServerHttpResponse;

class SecurityHeadersTests {

  @Test
  void aResponseWithoutCachingHeadersIsNotCachedAndGetsEveryHardeningHeader() {
    MockServerHttpResponse response = new MockServerHttpResponse();

    SecurityHeaders.addMissing(response, false);

    HttpHeaders headers = response.getHeaders();
    assertThat(headers.getFirst(HttpHeaders.CACHE_CONTROL))
        .isEqualTo("no-cache, no-store, max-age=0, must-revalidate");
    assertThat(headers.getFirst(HttpHeaders.PRAGMA)).isEqualTo("no-cache");
    assertThat(headers.getFirst("X-Content-Type-Options")).isEqualTo("nosniff");
    assertThat(headers.getFirst("X-Frame-Options")).isEqualTo("DENY");
    assertThat(headers.getFirst("X-XSS-Protection")).isEqualTo("0");
    assertThat(headers.getFirst("Referrer-Policy")).isEqualTo("no-referrer");
    assertThat(headers.containsHeader("Strict-Transport-Security")).isFalse();
  }

  @Test
  void whatTheServiceSaidAboutCachingAndFramingStaysAndHttpsGetsHsts() {
    MockServerHttpResponse response = new MockServerHttpResponse();
    response.getHeaders().set(HttpHeaders.CACHE_CONTROL, "public, max-age=60");
    response.getHeaders().set("X-Frame-Options", "SAMEORIGIN");

    SecurityHeaders.addMissing(response, true);

    HttpHeaders headers = response.getHeaders();
    assertThat(headers.get(HttpHeaders.CACHE_CONTROL)).containsExactly("public, max-age=60");
    assertThat(headers.containsHeader(HttpHeaders.PRAGMA)).isFalse();
    assertThat(headers.get("X-Frame-Options")).containsExactly("SAMEORIGIN");
    assertThat(headers.getFirst("Strict-Transport-Security")).startsWith("max-age=31536000");
  }

  @Test
  void aNotModifiedAnswerGetsNoCachingHeaders() {
    MockServerHttpResponse response = new MockServerHttpResponse();
    response.setStatusCode(HttpStatus.NOT_MODIFIED);

    SecurityHeaders.addMissing(response, false);

    assertThat(response.getHeaders().containsHeader(HttpHeaders.CACHE_CONTROL)).isFalse();
  }
}
