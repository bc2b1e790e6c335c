package dev.cumulus.gateway.ratelimit;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import dev.cumulus.platform.authclient.AuthServiceClient;
import dev.cumulus.platform.authclient.AuthServiceClient.AccessKeyOwner;
import dev.cumulus.platform.logging.WarningThrottle;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Whose budget an AWS-protocol request spends: the tenant (and plan) of the access key it names,
 * from auth-service ({@code GET /internal/access-keys/{id}}), remembered {@link #KNOWN} for keys
 * auth-service knows and {@link #UNKNOWN} for those it does not (so forged key ids cost it one
 * lookup each). When auth-service cannot answer, the answer is empty and not remembered: the
 * request then spends its key's own budget, as before tenants were known.
 */
public class AccessKeyOwners {

  /**
   * Exchange attribute: the {@link AccessKeyOwner} of the access key an AWS-protocol request names,
   * once the rate limiter has looked it up (instance metrics count the request on its instance).
   */
  public static final String ATTRIBUTE = AccessKeyOwners.class.getName() + ".owner";

  static final Duration KNOWN = Duration.ofMinutes(5);
  static final Duration UNKNOWN = Duration.ofSeconds(30);

  /** Cumulus access key ids (auth-service's S3KeyFormat); nothing else is looked up. */
  private static final Pattern KEY_ID = Pattern.compile("CK[A-Z0-9]{18}");

  private static final Logger log = LoggerFactory.getLogger(AccessKeyOwners.class);

  private final AuthServiceClient authService;
  private final WarningThrottle warnings = new WarningThrottle(Duration.ofMinutes(1));
  private final AsyncCache<String, Optional<AccessKeyOwner>> owners =
      Caffeine.newBuilder()
          .maximumSize(100_000)
          .expireAfter(
              Expiry.<String, Optional<AccessKeyOwner>>creating(
                  (key, owner) -> owner.isPresent() ? KNOWN : UNKNOWN))
          .buildAsync();

  public AccessKeyOwners(AuthServiceClient authService) {
    this.authService = authService;
  }

  /**
   * Looks up the owner of the access key the request names and, when there is one, leaves it in the
   * exchange as {@link #ATTRIBUTE} (for instance metrics while the rate limiter is off). Never
   * fails.
   */
  public Mono<Void> attachTo(ServerWebExchange exchange) {
    return of(S3AccessKeys.claimedKeyId(exchange.getRequest()))
        .doOnNext(owner -> owner.ifPresent(o -> exchange.getAttributes().put(ATTRIBUTE, o)))
        .then();
  }

  /** The key's owner; empty when unknown, malformed, or auth-service cannot say. Never fails. */
  public Mono<Optional<AccessKeyOwner>> of(String accessKeyId) {
    if (accessKeyId == null || !KEY_ID.matcher(accessKeyId).matches()) {
      return Mono.just(Optional.empty());
    }
    return Mono.fromFuture(
            owners.get(accessKeyId, (key, executor) -> authService.accessKeyOwner(key).toFuture()),
            true)
        .onErrorResume(
            e -> {
              // A failed lookup completes exceptionally, which the cache does not keep.
              if (warnings.due()) {
                log.warn(
                    "Cannot look up access key owners ({}): AWS requests spend per-key budgets"
                        + " meanwhile",
                    e.toString());
              }
              return Mono.just(Optional.empty());
            });
  }
}
