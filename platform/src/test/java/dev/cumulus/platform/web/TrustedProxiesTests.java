package dev.cumulus.platform.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;

class TrustedProxiesTests {

  private final TrustedProxies proxies =
      TrustedProxies.of(List.of("127.0.0.0/8", "::1", "10.1.0.0/20"));

  private static MockServerHttpRequest from(String peer, String forwardedFor) {
    MockServerHttpRequest.BaseBuilder<?> request =
        MockServerHttpRequest.get("/api/auth/login")
            .remoteAddress(new InetSocketAddress(peer, 40000));
    if (forwardedFor != null) {
      request.header("X-Forwarded-For", forwardedFor);
    }
    return request.build();
  }

  @Test
  void aTrustedProxyNamesTheClientWithTheEntryItAppended() {
    assertThat(proxies.clientAddress(from("127.0.0.1", "203.0.113.7"))).isEqualTo("203.0.113.7");
    assertThat(proxies.clientAddress(from("10.1.15.3", "1.2.3.4, 203.0.113.7")))
        .isEqualTo("203.0.113.7");
    assertThat(proxies.clientAddress(from("::1", "2001:db8::5"))).isEqualTo("2001:db8::5");
  }

  @Test
  void anyoneElsesForwardedForIsIgnored() {
    assertThat(proxies.clientAddress(from("203.0.113.9", "127.0.0.1"))).isEqualTo("203.0.113.9");
    assertThat(proxies.clientAddress(from("10.1.16.1", "198.51.100.1"))).isEqualTo("10.1.16.1");
    // Garbage from a trusted proxy is not an address: the peer stands.
    assertThat(proxies.clientAddress(from("127.0.0.1", "<script>"))).isEqualTo("127.0.0.1");
  }

  @Test
  void refusesHostNamesAndBadRanges() {
    assertThatThrownBy(() -> TrustedProxies.of(List.of("gateway")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TrustedProxies.of(List.of("10.0.0.0/33")))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
