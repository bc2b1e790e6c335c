package dev.cumulus.gateway.metrics;

import dev.cumulus.gateway.auth.Caller;
import dev.cumulus.gateway.auth.GatewayAuthenticationFilter;
import java.util.Set;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatusCode;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Counts every authenticated request to a DockSaaS instance path ({@code
 * /api/{type}/{tenantId}/{serviceId}/...}) in {@link InstanceTraffic} when its response starts:
 * status class and time to the response's first byte. It runs after authentication and the tenancy
 * check (a request refused there is never counted, so no one can add errors to another tenant's
 * instance) and around rate limiting (a 429 the tenant got is counted). Per request: a path scan,
 * one map lookup and a few adds; no I/O.
 */
public class InstanceTrafficFilter implements WebFilter, Ordered {

  /** Between authentication ({@code -50}) and rate limiting ({@code -40}). */
  public static final int ORDER = GatewayAuthenticationFilter.ORDER + 5;

  /** Seed 000's instance types, as in platform's TenancyRules. */
  static final Set<String> INSTANCE_TYPES =
      Set.of("s3storage", "rdsdatabase", "nosqldatabase", "queue", "function", "kafka");

  private final InstanceTraffic traffic;

  InstanceTrafficFilter(InstanceTraffic traffic) {
    this.traffic = traffic;
  }

  @Override
  public int getOrder() {
    return ORDER;
  }

  @Override
  public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
    if (exchange.getAttribute(Caller.ATTRIBUTE) == null) {
      return chain.filter(exchange);
    }
    String path = exchange.getRequest().getPath().pathWithinApplication().value();
    int tenantStart = tenantStart(path);
    if (tenantStart < 0) {
      return chain.filter(exchange);
    }
    int tenantEnd = path.indexOf('/', tenantStart);
    if (tenantEnd <= tenantStart) {
      return chain.filter(exchange);
    }
    int instanceEnd = path.indexOf('/', tenantEnd + 1);
    String instance =
        instanceEnd < 0
            ? path.substring(tenantEnd + 1)
            : path.substring(tenantEnd + 1, instanceEnd);
    if (instance.isEmpty()) {
      return chain.filter(exchange);
    }
    String tenant = path.substring(tenantStart, tenantEnd);
    long started = System.nanoTime();
    exchange
        .getResponse()
        .beforeCommit(
            () -> {
              HttpStatusCode status = exchange.getResponse().getStatusCode();
              traffic.record(
                  tenant,
                  instance,
                  System.currentTimeMillis() / 60_000,
                  status == null ? 200 : status.value(),
                  System.nanoTime() - started);
              return Mono.empty();
            });
    return chain.filter(exchange);
  }

  /** Where the tenant segment of {@code /api/{type}/...} starts, or -1 for any other path. */
  static int tenantStart(String path) {
    if (!path.startsWith("/api/")) {
      return -1;
    }
    int typeEnd = path.indexOf('/', 5);
    if (typeEnd < 0 || !INSTANCE_TYPES.contains(path.substring(5, typeEnd))) {
      return -1;
    }
    return typeEnd + 1;
  }
}
