package dev.cumulus.platform.context;

import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.core.Ordered;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Accepts the caller's {@code X-Request-Id} when it is a sane token, else generates one; returns it
 * on the response and puts it in the Reactor context (hence the MDC) and the exchange attributes.
 */
public class RequestIdWebFilter implements WebFilter, Ordered {

  /** Exchange attribute holding the request id, for code outside the Reactor context. */
  public static final String ATTRIBUTE = RequestIdWebFilter.class.getName() + ".requestId";

  // Bounded and log-safe: no spaces, quotes or control characters from the outside world.
  private static final Pattern ACCEPTABLE = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

  @Override
  public int getOrder() {
    return Ordered.HIGHEST_PRECEDENCE;
  }

  @Override
  public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
    String requestId = requestIdOf(exchange);
    exchange.getResponse().getHeaders().set(CumulusContext.REQUEST_ID_HEADER, requestId);
    return chain.filter(exchange).contextWrite(c -> CumulusContext.withRequestId(c, requestId));
  }

  /** The exchange's request id, chosen once and remembered in its attributes. */
  public static String requestIdOf(ServerWebExchange exchange) {
    String known = exchange.getAttribute(ATTRIBUTE);
    if (known != null) {
      return known;
    }
    String offered = exchange.getRequest().getHeaders().getFirst(CumulusContext.REQUEST_ID_HEADER);
    String requestId =
        offered != null && ACCEPTABLE.matcher(offered).matches()
            ? offered
            : UUID.randomUUID().toString();
    exchange.getAttributes().put(ATTRIBUTE, requestId);
    return requestId;
  }
}
