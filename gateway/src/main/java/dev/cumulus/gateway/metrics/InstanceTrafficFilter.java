package dev.cumulus.gateway.metrics;

import dev.cumulus.gateway.auth.Caller;
import dev.cumulus.gateway.auth.GatewayAuthenticationFilter;
import dev.cumulus.gateway.config.GatewayPaths;
import dev.cumulus.gateway.ratelimit.AccessKeyOwners;
import dev.cumulus.platform.authclient.AuthServiceClient.AccessKeyOwner;
import dev.cumulus.platform.security.TenancyRules.InstancePath;
import java.util.function.IntFunction;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.server.PathContainer;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Counts requests per instance in {@link InstanceTraffic} when their response starts: status class
 * and time to the response's first byte. Two kinds:
 *
 * <ul>
 *   <li>an authenticated request to a DockSaaS instance path ({@code
 *       /api/{type}/{tenantId}/{serviceId}/...}, parsed by the tenancy rules' {@link
 *       InstancePath}). It runs after authentication and the tenancy check (a request refused there
 *       is never counted, so no one can add errors to another tenant's instance) and around rate
 *       limiting (a 429 the tenant got is counted);
 *   <li>an AWS-protocol request ({@code /s3}, {@code /sqs}, {@code /dynamodb}, ...) naming an
 *       access key whose instance the rate limiter learned ({@link AccessKeyOwners#ATTRIBUTE}; with
 *       rate limits off this filter looks it up, from the same cache): counted on that instance,
 *       except a 401/403 (the gateway cannot verify the signature, so a refused request may be
 *       anyone's, naming someone else's key id).
 * </ul>
 *
 * <p>Per request: a path scan, one map lookup and a few adds; no I/O.
 */
public class InstanceTrafficFilter implements WebFilter, Ordered {

  /** Between authentication ({@code -50}) and rate limiting ({@code -40}). */
  public static final int ORDER = GatewayAuthenticationFilter.ORDER + 5;

  private final InstanceTraffic traffic;
  private final GatewayPaths paths;
  private final AccessKeyOwners ownersToLookUp;

  /**
   * @param ownersToLookUp where this filter looks up access-key owners itself, when no rate limiter
   *     does (rate limits off); null when the rate limiter does
   */
  InstanceTrafficFilter(
      InstanceTraffic traffic, GatewayPaths paths, AccessKeyOwners ownersToLookUp) {
    this.traffic = traffic;
    this.paths = paths;
    this.ownersToLookUp = ownersToLookUp;
  }

  @Override
  public int getOrder() {
    return ORDER;
  }

  @Override
  public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
    PathContainer path = exchange.getRequest().getPath().pathWithinApplication();
    if (exchange.getAttribute(Caller.ATTRIBUTE) == null) {
      // AWS protocols sign instead of sending a token: no caller here.
      if (paths.isSigned(path)) {
        countWhenAnswered(exchange, status -> accessKeyInstance(exchange, status));
        if (ownersToLookUp != null) {
          return ownersToLookUp.attachTo(exchange).then(Mono.defer(() -> chain.filter(exchange)));
        }
      }
      return chain.filter(exchange);
    }
    InstancePath instance = InstancePath.of(path.value());
    if (instance.serviceId() != null) {
      countWhenAnswered(exchange, status -> instance);
    }
    return chain.filter(exchange);
  }

  /**
   * Counts the request when its response starts, on the instance {@code instanceOf} names for the
   * response's status then (null: not counted).
   */
  private void countWhenAnswered(ServerWebExchange exchange, IntFunction<InstancePath> instanceOf) {
    long started = System.nanoTime();
    exchange
        .getResponse()
        .beforeCommit(
            () -> {
              int status = status(exchange);
              InstancePath instance = instanceOf.apply(status);
              if (instance != null) {
                traffic.record(
                    instance.tenantId(),
                    instance.serviceId(),
                    System.currentTimeMillis() / 60_000,
                    status,
                    System.nanoTime() - started);
              }
              return Mono.empty();
            });
  }

  /**
   * The instance of the access key the rate limiter found, unless the service refused the request
   * (401/403: it may be anyone's, naming someone else's key id).
   */
  private static InstancePath accessKeyInstance(ServerWebExchange exchange, int status) {
    AccessKeyOwner owner = exchange.getAttribute(AccessKeyOwners.ATTRIBUTE);
    if (owner == null || owner.serviceId() == null || status == 401 || status == 403) {
      return null;
    }
    return new InstancePath(owner.tenantId(), owner.serviceId());
  }

  private static int status(ServerWebExchange exchange) {
    HttpStatusCode status = exchange.getResponse().getStatusCode();
    return status == null ? 200 : status.value();
  }
}
