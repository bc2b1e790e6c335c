package dev.cumulus.platform.security;

import dev.cumulus.platform.error.ApiException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * The credential of the internal endpoints services call on each other ({@code /internal/**}, e.g.
 * auth-service's signing keys and quotas, storage-service's usage): the shared secret {@code
 * cumulus.internal.secret} in {@value #HEADER}. Without a configured secret every call is refused.
 * Those paths are public to the JWT filter (each service lists its own); the gateway never routes
 * {@code /internal/**} from outside.
 */
public class InternalSecret {

  public static final String HEADER = "X-Cumulus-Internal-Secret";

  private static final Logger log = LoggerFactory.getLogger(InternalSecret.class);

  private final byte[] secret;

  public InternalSecret(String secret) {
    boolean configured = secret != null && !secret.isBlank();
    this.secret = configured ? secret.getBytes(StandardCharsets.UTF_8) : null;
  }

  /** Whether {@code presented} is the secret (compared in constant time). */
  public boolean accepts(String presented) {
    return secret != null
        && presented != null
        && MessageDigest.isEqual(secret, presented.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * {@code call} when {@code presented} is the secret, else 401. {@code body} (may be null) is
   * drained on refusal so the connection stays reusable.
   */
  public <T> Mono<T> require(String presented, Mono<?> body, Mono<T> call) {
    if (accepts(presented)) {
      return call;
    }
    if (secret == null) {
      log.warn("Internal endpoint refused: cumulus.internal.secret is not set");
    }
    Mono<?> drained = body == null ? Mono.empty() : body.onErrorResume(e -> Mono.empty());
    return drained.then(Mono.error(ApiException.unauthorized("Missing or invalid " + HEADER)));
  }
}
