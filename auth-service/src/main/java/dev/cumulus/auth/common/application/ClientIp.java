package dev.cumulus.auth.common.application;

import java.util.Optional;
import java.util.regex.Pattern;
import reactor.core.publisher.Mono;

/** The calling client's IP address, carried in the Reactor context of a request. */
public final class ClientIp {

  /** Reactor context key. */
  public static final String KEY = "cumulus.auth.clientIp";

  // IPv4 or IPv6 text: keeps header garbage out of logs, Redis keys and the audit trail.
  private static final Pattern ADDRESS = Pattern.compile("[0-9A-Fa-f.:]{2,45}");

  private ClientIp() {}

  public static Mono<Optional<String>> current() {
    return Mono.deferContextual(c -> Mono.just(c.<String>getOrEmpty(KEY)));
  }

  public static boolean looksLikeAddress(String value) {
    return value != null && ADDRESS.matcher(value).matches();
  }
}
