package dev.cumulus.gateway.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;

class RequestFirewallTests {

  private static MockServerHttpRequest.BaseBuilder<?> get(String rawPath) {
    return MockServerHttpRequest.method(HttpMethod.GET, URI.create("http://gw" + rawPath));
  }

  @Test
  void anOrdinaryRequestPasses() {
    assertThat(
            RequestFirewall.refusal(
                get("/api/s3storage/t/s/buckets/b/objects/a/b.txt?x=%2F")
                    .header("Authorization", "Bearer abc")
                    .header("X-Note", "tab\tinside")
                    .build()))
        .isNull();
  }

  @Test
  void pathsThatPathMatchingAndServicesCouldReadDifferentlyAreRefused() {
    for (String path :
        new String[] {
          "/a//b",
          "/a/./b",
          "/a/../b",
          "/a/..",
          "/a/.",
          "/a;x=1",
          "/a%3Bx",
          "/a%2fb",
          "/a%5Cb",
          "/a%2e%2e/b",
          "/a%25b",
          "/a%00",
          "/a%0d%0aSet-Cookie"
        }) {
      assertThat(RequestFirewall.refusal(get(path).build())).as(path).isNotNull();
    }
  }

  @Test
  void controlCharactersInHeadersAndUnknownMethodsAreRefused() {
    assertThat(RequestFirewall.refusal(get("/a").header("X-Evil", "a\u0000b").build())).isNotNull();
    assertThat(RequestFirewall.refusal(get("/a").header("X-Evil", "line\u2028break").build()))
        .isNotNull();
    assertThat(
            RequestFirewall.refusal(
                MockServerHttpRequest.method(HttpMethod.valueOf("TRACE"), URI.create("http://gw/a"))
                    .build()))
        .isNotNull();
  }
}
