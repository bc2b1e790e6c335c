package dev.cumulus.platform.web.client;

import java.time.Duration;
import org.springframework.boot.http.client.autoconfigure.reactive.ClientHttpConnectorBuilderCustomizer;
import org.springframework.boot.http.client.reactive.ReactorClientHttpConnectorBuilder;

/**
 * Bounds how long every service's WebClient (Boot's auto-configured connector) remembers another
 * service's address. Reactor Netty resolves with its own DNS client and keeps each answer for the
 * record's TTL, not the JVM's {@code networkaddress.cache.ttl}: podman's aardvark-dns answers
 * container names with a one-day TTL, so a restarted container would be dialled at its old address
 * for a day. With at most {@code ttl} a moved service is found again within it; failed lookups are
 * not remembered. The gateway's proxy client has its own (gateway's UpstreamDnsCache).
 */
public class WebClientDnsCache
    implements ClientHttpConnectorBuilderCustomizer<ReactorClientHttpConnectorBuilder> {

  private final Duration ttl;

  public WebClientDnsCache(Duration ttl) {
    if (ttl == null || ttl.isNegative()) {
      throw new IllegalArgumentException(
          "cumulus.web-client.dns-cache-ttl must be zero or more, was " + ttl);
    }
    this.ttl = ttl;
  }

  @Override
  public ReactorClientHttpConnectorBuilder customize(ReactorClientHttpConnectorBuilder builder) {
    return builder.withHttpClientCustomizer(
        client ->
            client.resolver(
                spec -> spec.cacheMaxTimeToLive(ttl).cacheNegativeTimeToLive(Duration.ZERO)));
  }
}
