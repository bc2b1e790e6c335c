package dev.cumulus.gateway.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.security.web.server.firewall.ServerExchangeRejectedException;
import org.springframework.security.web.server.firewall.StrictServerWebExchangeFirewall;
import reactor.core.publisher.Mono;

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

  /**
   * RequestFirewall restates Spring Security's strict firewall, which every service still runs: the
   * two must refuse the same requests, or a path the gateway lets through would be refused behind
   * it (or the reverse). Spring's own firewall is the reference here.
   */
  @Test
  void refusesWhatSpringSecuritysStrictFirewallRefusesAndNothingElse() {
    StrictServerWebExchangeFirewall spring = new StrictServerWebExchangeFirewall();
    for (String path :
        new String[] {
          "/api/s3storage/t/s/buckets/b/objects/a/b.txt",
          "/s3/bucket/key%20with%20spaces",
          "/s3/bucket/%E2%82%AC",
          "/a//b",
          "/a/./b",
          "/a/../b",
          "/a/..",
          "/a/.",
          "/a;x=1",
          "/a%3Bx",
          "/a%3bx",
          "/a%2fb",
          "/a%2Fb",
          "/a%5Cb",
          "/a%5cb",
          "/a%2e%2e/b",
          "/a%2Eb",
          "/a%25b",
          "/a%00",
          "/a%0d%0aSet-Cookie",
          "/a%0Ab",
          "/a%7Fb",
          "/a%C2%85b",
          "/a%E2%80%A8b",
          "/a%e2%80%a9b"
        }) {
      MockServerHttpRequest request = get(path).build();
      boolean springRefuses =
          spring
                  .getFirewalledExchange(MockServerWebExchange.from(request))
                  .map(exchange -> false)
                  .onErrorResume(ServerExchangeRejectedException.class, e -> Mono.just(true))
                  .block()
              == Boolean.TRUE;
      assertThat(RequestFirewall.refusal(request) != null)
          .as("%s (Spring refuses: %s)", path, springRefuses)
          .isEqualTo(springRefuses);
    }
  }
}
