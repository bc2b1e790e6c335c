package dev.cumulus.integration.common;

import io.netty.channel.ChannelOption;
import java.net.IDN;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Pattern;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * Outbound HTTP to tenant-given URLs, guarded against SSRF: only http(s), every resolved address
 * checked by the {@link AddressPolicy} at connect time ({@link GuardedNameResolver}), literal
 * addresses checked before the call, redirects never followed by the client (callers follow them
 * through {@link #check} again).
 */
@Component
public class OutboundHttp {

  /** IPv4 dotted digits, or a bracketed IPv6 literal as {@link URI#getHost} gives it. */
  private static final Pattern LITERAL = Pattern.compile("[0-9.]+|\\[[0-9a-fA-F:.]+]");

  private final AddressPolicy policy;
  private final HostLookup lookups;
  private final WebClient client;

  public OutboundHttp(OutboundProperties properties, WebClient.Builder builder) {
    this.policy = new AddressPolicy(properties.allowedNetworks());
    this.lookups = new HostLookup(properties.resolveTimeout());
    // A pool of its own: Reactor Netty's shared default allows 16 connections per host on two
    // cores, so deliveries to endpoints behind one host (a slow one among them) would queue for
    // each other's connections; here the dispatcher's per-endpoint limit is what bounds them.
    ConnectionProvider connections =
        ConnectionProvider.builder("cumulus-outbound")
            .maxConnections(properties.maxConnectionsPerHost())
            .pendingAcquireMaxCount(-1)
            .maxIdleTime(Duration.ofSeconds(30))
            .build();
    HttpClient http =
        HttpClient.create(connections)
            .resolver(new GuardedNameResolver.Group(policy, lookups))
            .followRedirect(false)
            .option(
                ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) properties.connectTimeout().toMillis());
    this.client = builder.clone().clientConnector(new ReactorClientHttpConnector(http)).build();
  }

  public WebClient client() {
    return client;
  }

  /**
   * Checks a URL before it is called: scheme, host, and every address its host resolves to now (a
   * bounded {@link HostLookup}). Errors with {@link RefusedAddressException}.
   */
  public Mono<URI> check(URI url) {
    if (url == null
        || url.getScheme() == null
        || !(url.getScheme().equalsIgnoreCase("http")
            || url.getScheme().equalsIgnoreCase("https"))) {
      return Mono.error(new RefusedAddressException("Only http and https URLs are allowed"));
    }
    if (url.getHost() == null || url.getHost().isBlank()) {
      return Mono.error(new RefusedAddressException("The URL has no host"));
    }
    if (url.getRawUserInfo() != null) {
      return Mono.error(new RefusedAddressException("Credentials in the URL are not allowed"));
    }
    String host = url.getHost();
    if (LITERAL.matcher(host).matches()) {
      return Mono.fromCallable(() -> literal(host))
          .flatMap(
              address -> {
                String refusal = policy.refusal(address);
                return refusal == null
                    ? Mono.just(url)
                    : Mono.error(new RefusedAddressException(refusal));
              });
    }
    String ascii = IDN.toASCII(host).toLowerCase(Locale.ROOT);
    return lookups
        .addresses(ascii)
        .onErrorMap(
            UnknownHostException.class,
            e -> new RefusedAddressException(host + " does not resolve"))
        .flatMap(
            addresses -> {
              for (InetAddress address : addresses) {
                String refusal = policy.refusal(address);
                if (refusal != null) {
                  return Mono.error(new RefusedAddressException(host + ": " + refusal));
                }
              }
              return Mono.just(url);
            });
  }

  private static InetAddress literal(String host) {
    String bare = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    try {
      // A literal: no lookup happens.
      return InetAddress.getByName(bare);
    } catch (UnknownHostException e) {
      throw new RefusedAddressException("Not an address: " + host);
    }
  }
}
