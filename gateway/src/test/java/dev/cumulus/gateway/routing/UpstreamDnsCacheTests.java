package dev.cumulus.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import reactor.netty.http.client.HttpClient;
import reactor.netty.transport.NameResolverProvider;

class UpstreamDnsCacheTests {

  @Test
  void reactorNettyKeepsAnAnswerForTheRecordsTtlByDefault() {
    // Why the customizer exists: without it, an answer with aardvark-dns's one-day TTL is kept a
    // day.
    NameResolverProvider defaults = HttpClient.create().configuration().getNameResolverProvider();
    Duration max =
        defaults == null
            ? NameResolverProvider.builder().build().cacheMaxTimeToLive()
            : defaults.cacheMaxTimeToLive();
    assertThat(max).isGreaterThan(Duration.ofDays(1));
  }

  @Test
  void boundsTheAddressCacheAndRemembersNoFailure() {
    HttpClient client = new UpstreamDnsCache(Duration.ofSeconds(5)).customize(HttpClient.create());

    NameResolverProvider resolver = client.configuration().getNameResolverProvider();
    assertThat(resolver).isNotNull();
    assertThat(resolver.cacheMaxTimeToLive()).isEqualTo(Duration.ofSeconds(5));
    assertThat(resolver.cacheNegativeTimeToLive()).isEqualTo(Duration.ZERO);
    assertThat(client.configuration().resolver()).isNotNull();
  }

  @Test
  void keepsTheRestOfTheClient() {
    HttpClient client =
        new UpstreamDnsCache(Duration.ofSeconds(5))
            .customize(HttpClient.create().responseTimeout(Duration.ofSeconds(7)));

    assertThat(client.configuration().responseTimeout()).isEqualTo(Duration.ofSeconds(7));
  }

  @Test
  void refusesANegativeTtl() {
    assertThatThrownBy(() -> new UpstreamDnsCache(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("upstream-dns-ttl");
  }
}
