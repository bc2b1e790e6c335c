package dev.cumulus.auth.common.web;

import dev.cumulus.platform.error.ApiException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * The credential of auth-service's internal endpoints that other services call ({@code
 * /internal/**} other than the API-key exchange): the shared secret {@code cumulus.internal.secret}
 * in {@value #HEADER}. Without a configured secret every call is refused. Those paths are public to
 * the JWT filter; the gateway never routes {@code /internal/**} from outside.
 */
@Component
public class InternalSecret {

  public static final String HEADER = "X-Cumulus-Internal-Secret";

  private static final Logger log = LoggerFactory.getLogger(InternalSecret.class);

  private final byte[] secret;

  public InternalSecret(@Value("${cumulus.internal.secret:}") String secret) {
    boolean configured = secret != null && !secret.isBlank();
    this.secret = configured ? secret.getBytes(StandardCharsets.UTF_8) : null;
    if (!configured) {
      log.warn("Internal endpoints disabled: cumulus.internal.secret is not set");
    }
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
    Mono<?> drained = body == null ? Mono.empty() : body.onErrorResume(e -> Mono.empty());
    return drained.then(Mono.error(ApiException.unauthorized("Missing or invalid " + HEADER)));
  }
}
