package dev.cumulus.gateway.web;

import dev.cumulus.platform.error.ApiException;
import dev.cumulus.platform.error.ErrorKind;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.springframework.core.Ordered;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Refuses requests no service should have to interpret, before anything else looks at them: the
 * rules of Spring Security's {@code StrictServerWebExchangeFirewall}, which guarded the gateway
 * while it ran Spring Security's web chain. That firewall checks a header each time it is read (the
 * gateway reads some a dozen times per request); this checks every header once.
 *
 * <ul>
 *   <li>methods other than GET, HEAD, POST, PUT, PATCH, DELETE and OPTIONS;
 *   <li>paths that are not normalized ({@code //}, {@code /./}, {@code /../}) or that carry what
 *       path matching and services may read differently: {@code ;}, a backslash, encoded slashes,
 *       backslashes, periods, percent signs, line breaks (also U+2028 and U+2029) or NUL, or any
 *       control character;
 *   <li>header names and values with control characters (a tab inside a value is allowed, as HTTP
 *       allows it).
 * </ul>
 *
 * Refusals are 400 in the caller's family envelope.
 */
public class RequestFirewall implements WebFilter, Ordered {

  private static final Set<HttpMethod> METHODS =
      Set.of(
          HttpMethod.GET,
          HttpMethod.HEAD,
          HttpMethod.POST,
          HttpMethod.PUT,
          HttpMethod.PATCH,
          HttpMethod.DELETE,
          HttpMethod.OPTIONS);

  /** Compared with the lower-cased raw path. */
  private static final List<String> FORBIDDEN_IN_PATH =
      List.of(
          ";",
          "\\",
          "%3b",
          "%2f",
          "%5c",
          "%2e",
          "%25",
          "%00",
          "%0a",
          "%0d",
          "%e2%80%a8",
          "%e2%80%a9");

  private static final List<String> NOT_NORMALIZED = List.of("//", "/./", "/../");

  @Override
  public int getOrder() {
    // After the request id and the access log, so a refusal is logged with its id.
    return Ordered.HIGHEST_PRECEDENCE + 2;
  }

  @Override
  public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
    String refusal = refusal(exchange.getRequest());
    return refusal == null
        ? chain.filter(exchange)
        : Mono.error(new ApiException(ErrorKind.BAD_REQUEST, refusal));
  }

  /** Why the request is refused, or null. */
  static String refusal(ServerHttpRequest request) {
    if (!METHODS.contains(request.getMethod())) {
      return "Method not accepted: " + request.getMethod().name();
    }
    String path = request.getURI().getRawPath();
    if (path == null || hasControlCharacter(path, false) || !normalized(path)) {
      return "The request path is not normalized or contains a character that is not accepted";
    }
    String lower = path.toLowerCase(Locale.ROOT);
    for (String forbidden : FORBIDDEN_IN_PATH) {
      if (lower.contains(forbidden)) {
        return "The request path contains a character sequence that is not accepted: " + forbidden;
      }
    }
    for (Map.Entry<String, List<String>> header : request.getHeaders().headerSet()) {
      if (hasControlCharacter(header.getKey(), false)) {
        return "A header name contains a control character";
      }
      for (String value : header.getValue()) {
        if (hasControlCharacter(value, true)) {
          return "Header " + header.getKey() + " contains a control character";
        }
      }
    }
    return null;
  }

  private static boolean normalized(String path) {
    for (String segment : NOT_NORMALIZED) {
      if (path.contains(segment)) {
        return false;
      }
    }
    return !path.endsWith("/.") && !path.endsWith("/..");
  }

  private static boolean hasControlCharacter(String text, boolean tabAllowed) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if ((c < 0x20 && !(tabAllowed && c == '\t')) || c == 0x7f || (c >= 0x80 && c <= 0x9f)) {
        return true;
      }
      if (c == '\u2028' || c == '\u2029') {
        return true;
      }
    }
    return false;
  }
}
