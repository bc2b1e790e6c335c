package dev.cumulus.gateway.routing;

import java.time.Duration;
import org.springframework.cloud.gateway.config.HttpClientCustomizer;
import reactor.netty.http.client.HttpClient;

/**
 * Bounds how long the gateway's HTTP client remembers a service's address. Reactor Netty resolves
 * with its own DNS client and caches each answer for the record's TTL, not the JVM's {@code
 * networkaddress.cache.ttl}: podman's aardvark-dns answers container names with a TTL of one day,
 * so a container restarted on a new address was dialled at its old one (connect timeouts, 503)
 * until the gateway restarted. With at most {@code ttl}, a restarted service is found again within
 * that time; Kubernetes Services keep their address, so there it costs one lookup per {@code ttl}.
 * Failed lookups are not remembered.
 */
public class UpstreamDnsCache implements HttpClientCustomizer {

  private final Duration ttl;

  public UpstreamDnsCache(Duration ttl) {
    if (ttl == null || ttl.isNegative()) {
      throw new IllegalArgumentException(
          "cumulus.gateway.routing.upstream-dns-ttl must be zero or more, was " + ttl);
    }
    this.ttl = ttl;
  }

  @Override
  public HttpClient customize(HttpClient client) {
    return client.resolver(
        spec -> spec.cacheMaxTimeToLive(ttl).cacheNegativeTimeToLive(Duration.ZERO));
  }
}
