package dev.cumulus.gateway.ratelimit;

import dev.cumulus.gateway.auth.Caller;
import dev.cumulus.gateway.auth.GatewayAuthenticationFilter;
import dev.cumulus.gateway.common.ClientAddress;
import dev.cumulus.gateway.common.EventLoops;
import dev.cumulus.gateway.common.GatewayMetrics;
import dev.cumulus.gateway.config.GatewayPaths;
import dev.cumulus.gateway.config.GatewayProperties;
import dev.cumulus.gateway.config.GatewayProperties.Limit;
import dev.cumulus.platform.error.ApiException;
import dev.cumulus.platform.error.ApiFamily;
import dev.cumulus.platform.error.ApiFamilyResolver;
import dev.cumulus.platform.error.ErrorKind;
import dev.cumulus.platform.security.CumulusPrincipal;
import java.util.concurrent.Executor;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.server.PathContainer;
import org.springframework.web.cors.reactive.CorsUtils;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Step 4 of the pipeline: counts the request against its budget and answers 429 (in the family's
 * envelope, with {@code Retry-After}) once the budget is spent. Budgets (docs/identity.md):
 *
 * <ul>
 *   <li>DockSaaS, EventFlow, multi-tenant: per tenant by plan, per hour; without a credential
 *       (public paths) per client IP ({@code anonymous});
 *   <li>Auto-Update: per IP without a credential, else per user, higher for admins, per minute;
 *   <li>Cloud Integration: per IP, per 15 minutes;
 *   <li>AWS wire protocols (S3, SQS, DynamoDB...): per tenant by plan, of the access key the
 *       request names; per IP without one; what the service refuses counts against the IP instead
 *       (see {@link #awsBudget}).
 * </ul>
 *
 * Every counted response carries {@code X-RateLimit-Limit}, {@code -Remaining} and {@code -Reset}
 * (epoch seconds). CORS preflights and the gateway's own endpoints are not counted.
 */
public class RateLimitFilter implements WebFilter, Ordered {

  static final String LIMIT = "X-RateLimit-Limit";
  static final String REMAINING = "X-RateLimit-Remaining";
  static final String RESET = "X-RateLimit-Reset";

  private final RedisWindowCounter counter;
  private final LocalAllowances allowances;
  private final AccessKeyOwners owners;
  private final GatewayProperties.RateLimits limits;
  private final ApiFamilyResolver families;
  private final GatewayPaths paths;
  private final ClientAddress clientAddress;
  private final GatewayMetrics metrics;

  public RateLimitFilter(
      RedisWindowCounter counter,
      LocalAllowances allowances,
      AccessKeyOwners owners,
      GatewayProperties properties,
      ApiFamilyResolver families,
      GatewayPaths paths,
      ClientAddress clientAddress,
      GatewayMetrics metrics) {
    this.counter = counter;
    this.allowances = allowances;
    this.owners = owners;
    this.limits = properties.rateLimits();
    this.families = families;
    this.paths = paths;
    this.clientAddress = clientAddress;
    this.metrics = metrics;
  }

  @Override
  public int getOrder() {
    return GatewayAuthenticationFilter.ORDER + 10;
  }

  @Override
  public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
    PathContainer path = exchange.getRequest().getPath().pathWithinApplication();
    if (CorsUtils.isPreFlightRequest(exchange.getRequest()) || paths.isGatewayOwn(path)) {
      return chain.filter(exchange);
    }
    ApiFamily family = families.resolve(path.value());
    if (paths.isSigned(path)) {
      return awsBudget(exchange).flatMap(budget -> spend(budget, family, exchange, chain));
    }
    return spend(budget(family, Caller.of(exchange), exchange), family, exchange, chain);
  }

  private Mono<Void> spend(
      Budget budget, ApiFamily family, ServerWebExchange exchange, WebFilterChain chain) {
    String key = limits.keyPrefix() + budget.key();
    String refusedKey = budget.ifRefused() == null ? null : limits.keyPrefix() + budget.ifRefused();
    Executor eventLoop = EventLoops.of(exchange);
    return allowances
        .hit(key, refusedKey, budget.limit(), eventLoop)
        .flatMap(
            verdict -> {
              if (!verdict.counted()) {
                return chain.filter(exchange);
              }
              HttpHeaders headers = exchange.getResponse().getHeaders();
              headers.set(LIMIT, Long.toString(verdict.limit()));
              headers.set(REMAINING, Long.toString(verdict.remaining()));
              headers.set(RESET, Long.toString(verdict.resetEpochSeconds()));
              if (verdict.allowed()) {
                if (refusedKey != null) {
                  // Decided before the 403 reaches the client, so its next request sees it.
                  exchange
                      .getResponse()
                      .beforeCommit(
                          () ->
                              refusedUpstream(exchange)
                                  ? moveToSender(key, refusedKey, budget.limit(), eventLoop)
                                  : Mono.empty());
                }
                return chain.filter(exchange);
              }
              headers.set(HttpHeaders.RETRY_AFTER, Long.toString(verdict.retryAfterSeconds()));
              metrics.rateLimited(family);
              return Mono.error(tooMany(family));
            });
  }

  /** Charges a refused request to its sender, whose spent budget this gateway then notes. */
  private Mono<Void> moveToSender(String key, String sender, Limit limit, Executor eventLoop) {
    return counter
        .moveOne(key, sender, limit, eventLoop)
        .doOnNext(
            moved -> {
              if (moved.count() >= limit.requests()) {
                allowances.guardSpent(sender, moved.millisLeft());
              }
            })
        .then();
  }

  private static boolean refusedUpstream(ServerWebExchange exchange) {
    HttpStatusCode status = exchange.getResponse().getStatusCode();
    return status != null && status.value() == HttpStatus.FORBIDDEN.value();
  }

  /**
   * AWS protocol clients (S3, SQS...) sign instead of sending a token, so the budget is that of the
   * tenant owning the access key the request names (header or presigned query), by its plan: a
   * tenant's new keys add no budget. A key auth-service cannot place (unknown, or auth-service
   * down) spends its own budget; a request naming no key spends its IP's. The gateway cannot verify
   * the signature (the service does), and a key id is no secret: it is in every presigned URL. So a
   * request the service refuses (403: bad signature, unknown key, expired URL, access denied) is
   * moved to its sender's IP budget, and an IP whose budget is spent may not spend a key's: whoever
   * sends forged requests naming someone's key slows down themselves, not the key's owner.
   */
  Mono<Budget> awsBudget(ServerWebExchange exchange) {
    String keyId = S3AccessKeys.claimedKeyId(exchange.getRequest());
    String ip = "s3:ip:" + clientAddress.of(exchange);
    if (keyId == null) {
      return Mono.just(new Budget(ip, limits.s3(), null));
    }
    return owners
        .of(keyId)
        .map(
            owner ->
                owner
                    .map(
                        o -> {
                          exchange.getAttributes().put(AccessKeyOwners.ATTRIBUTE, o);
                          return new Budget(
                              "aws:tenant:" + o.tenantId(), limits.awsPlans().of(o.plan()), ip);
                        })
                    .orElseGet(() -> new Budget("s3:key:" + keyId, limits.s3(), ip)));
  }

  /**
   * Which counter a request spends, and how much it holds.
   *
   * @param ifRefused where a request the upstream refuses (403) is counted instead, and which, once
   *     spent, refuses the request before it spends {@code key}; null when none
   */
  record Budget(String key, Limit limit, String ifRefused) {

    Budget(String key, Limit limit) {
      this(key, limit, null);
    }
  }

  Budget budget(ApiFamily family, Caller caller, ServerWebExchange exchange) {
    return switch (family) {
      case AUTO_UPDATE -> {
        if (caller == null) {
          yield new Budget("au:ip:" + clientAddress.of(exchange), limits.autoUpdate().anonymous());
        }
        CumulusPrincipal p = caller.principal();
        String user = p.tenantId() + ":" + p.subject();
        yield p.isTenantAdmin()
            ? new Budget("au:admin:" + user, limits.autoUpdate().admin())
            : new Budget("au:user:" + user, limits.autoUpdate().user());
      }
      case CLOUD_INTEGRATION ->
          new Budget("ci:ip:" + clientAddress.of(exchange), limits.cloudIntegration());
      default ->
          caller == null
              ? new Budget("anon:ip:" + clientAddress.of(exchange), limits.anonymous())
              : new Budget(
                  "tenant:" + caller.tenantId(), limits.plans().of(caller.principal().plan()));
    };
  }

  private static ApiException tooMany(ApiFamily family) {
    // Seed 004 documents its own sentence; the others get a plain one.
    String message =
        family == ApiFamily.CLOUD_INTEGRATION
            ? "Too many requests from this IP, please try again later."
            : "Rate limit exceeded, please try again later";
    return new ApiException(ErrorKind.RATE_LIMITED, message);
  }
}
