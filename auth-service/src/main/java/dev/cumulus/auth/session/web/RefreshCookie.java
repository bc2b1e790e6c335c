package dev.cumulus.auth.session.web;

import dev.cumulus.auth.config.AuthProperties;
import dev.cumulus.platform.error.ApiException;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import org.springframework.http.HttpCookie;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseCookie;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;

/**
 * The web console's refresh token, kept where its scripts cannot read it (docs/console.md): an
 * {@code HttpOnly}, {@code SameSite=Strict} cookie sent only to {@code /api/auth/refresh} ({@code
 * Secure} when the client came over https). Only a client that says it is the console ({@code
 * X-Cumulus-Client: console}) gets one, and the cookie is only taken back with that header and from
 * the gateway's own origin: a cross-site form cannot add the header, a cross-origin script needs a
 * preflight and still sends another {@code Origin}.
 */
@Component
public class RefreshCookie {

  static final String NAME = "cumulus_refresh";
  static final String PATH = "/api/auth/refresh";
  static final String CLIENT_HEADER = "X-Cumulus-Client";
  static final String CONSOLE = "console";

  private final Duration lifetime;

  public RefreshCookie(AuthProperties properties) {
    this.lifetime = properties.refreshTokenTtl();
  }

  /** Whether the caller asked for the cookie instead of a refresh token in the body. */
  boolean wanted(ServerHttpRequest request) {
    return CONSOLE.equalsIgnoreCase(request.getHeaders().getFirst(CLIENT_HEADER));
  }

  void set(ServerWebExchange exchange, String refreshToken) {
    exchange.getResponse().addCookie(cookie(exchange, refreshToken, lifetime));
  }

  void clear(ServerWebExchange exchange) {
    exchange.getResponse().addCookie(cookie(exchange, "", Duration.ZERO));
  }

  /**
   * The refresh token of the cookie, for a refresh whose body has none; refused unless the console
   * asks from the gateway's own origin.
   */
  String read(ServerWebExchange exchange) {
    ServerHttpRequest request = exchange.getRequest();
    if (!wanted(request)) {
      throw ApiException.badRequest(
          "Send refresh_token in the body (the cookie is read only with X-Cumulus-Client: console)");
    }
    if (!sameOrigin(request)) {
      throw ApiException.forbidden("Refresh refused: the request comes from another origin");
    }
    HttpCookie cookie = request.getCookies().getFirst(NAME);
    if (cookie == null || cookie.getValue().isBlank()) {
      throw ApiException.unauthorized("No refresh token: sign in again");
    }
    return cookie.getValue();
  }

  private static ResponseCookie cookie(ServerWebExchange exchange, String value, Duration maxAge) {
    return ResponseCookie.from(NAME, value)
        .httpOnly(true)
        .secure(overHttps(exchange.getRequest()))
        .sameSite("Strict")
        .path(PATH)
        .maxAge(maxAge)
        .build();
  }

  /** https at the client's end: this request's scheme, or any proxy's on the way. */
  private static boolean overHttps(ServerHttpRequest request) {
    if ("https".equalsIgnoreCase(request.getURI().getScheme())) {
      return true;
    }
    String protos = request.getHeaders().getFirst("X-Forwarded-Proto");
    return protos != null && protos.toLowerCase(Locale.ROOT).contains("https");
  }

  /**
   * A browser says where the call comes from in {@code Sec-Fetch-Site}, which no script can set: it
   * must be {@code same-origin}. Browsers without it are judged by {@code Origin}, which must name
   * the host the gateway was addressed by (the last {@code X-Forwarded-Host}, appended by the
   * proxy, else {@code Host}); a client that sends neither is no browser, so no forged request.
   */
  private static boolean sameOrigin(ServerHttpRequest request) {
    HttpHeaders headers = request.getHeaders();
    String site = headers.getFirst("Sec-Fetch-Site");
    if (site != null) {
      return site.equalsIgnoreCase("same-origin");
    }
    String origin = headers.getOrigin();
    if (origin == null) {
      return true;
    }
    String forwarded = headers.getFirst("X-Forwarded-Host");
    String host =
        forwarded != null && !forwarded.isBlank()
            ? forwarded.substring(forwarded.lastIndexOf(',') + 1).trim()
            : headers.getFirst(HttpHeaders.HOST);
    try {
      String authority = URI.create(origin).getRawAuthority();
      return host != null && authority != null && authority.equalsIgnoreCase(host);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
