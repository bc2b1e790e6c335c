package dev.cumulus.gateway.auth;

import dev.cumulus.gateway.common.ClientAddress;
import dev.cumulus.gateway.common.EventLoops;
import dev.cumulus.gateway.common.GatewayMetrics;
import dev.cumulus.gateway.config.GatewayPaths;
import dev.cumulus.platform.context.CumulusContext;
import dev.cumulus.platform.error.ApiException;
import dev.cumulus.platform.error.ErrorKind;
import dev.cumulus.platform.security.CumulusPrincipal;
import dev.cumulus.platform.security.RevocationCheck;
import dev.cumulus.platform.security.TenancyRules;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.server.PathContainer;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.web.cors.reactive.CorsUtils;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Step 2 and 3 of the gateway pipeline (docs/identity.md): authenticates every request outside the
 * public paths with a bearer JWT (verified against auth-service's JWKS by platform's {@link
 * ReactiveJwtDecoder}, through {@link TokenVerifier}; refused once its session has ended, see
 * {@link RevocationCheck}) or an {@code X-API-Key} (exchanged at auth-service), then applies the
 * tenancy rules. Failures are thrown as {@link ApiException}s, so each family gets its own 401/403
 * envelope. The verified {@link Caller} is left in the exchange for rate limiting and forwarding.
 */
public class GatewayAuthenticationFilter implements WebFilter, Ordered {

  /** After the firewall and the access log, before rate limiting. */
  public static final int ORDER = -50;

  private static final Logger log = LoggerFactory.getLogger(GatewayAuthenticationFilter.class);
  private static final String BEARER = "Bearer ";
  static final String API_KEY_HEADER = "X-API-Key";
  static final String TENANT_DOMAIN_HEADER = "X-Tenant-Domain";

  private final TokenVerifier tokens;
  private final RevocationCheck revocations;
  private final ApiKeyExchange apiKeys;
  private final GatewayPaths paths;
  private final GatewayMetrics metrics;
  private final AuthenticationFailures failures;
  private final ClientAddress clientAddress;

  public GatewayAuthenticationFilter(
      TokenVerifier tokens,
      RevocationCheck revocations,
      ApiKeyExchange apiKeys,
      GatewayPaths paths,
      GatewayMetrics metrics,
      AuthenticationFailures failures,
      ClientAddress clientAddress) {
    this.tokens = tokens;
    this.revocations = revocations;
    this.apiKeys = apiKeys;
    this.paths = paths;
    this.metrics = metrics;
    this.failures = failures;
    this.clientAddress = clientAddress;
  }

  @Override
  public int getOrder() {
    return ORDER;
  }

  @Override
  public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
    ServerHttpRequest request = exchange.getRequest();
    PathContainer within = request.getPath().pathWithinApplication();
    String path = within.value();
    if (GatewayPaths.isInternal(path)) {
      // Service-to-service endpoints are never reachable from outside, whatever the credential.
      return Mono.error(
          ApiException.notFound("No resource at " + request.getMethod().name() + " " + path));
    }
    if (CorsUtils.isPreFlightRequest(request)
        || paths.isGatewayOwn(within)
        || paths.isPublic(within)
        || (!carriesCredential(request)
            && paths.allowsAnonymousRead(request.getMethod(), within))) {
      return chain.filter(exchange);
    }
    String ip = clientAddress.of(exchange);
    return failures
        .refuseIfBlocked(ip, exchange)
        .then(authenticate(exchange, request, within))
        .onErrorResume(
            e -> e instanceof ApiException refusal && refusal.kind() == ErrorKind.UNAUTHORIZED,
            e -> failures.record(ip, EventLoops.of(exchange)).then(Mono.error(e)))
        .flatMap(
            caller -> {
              TenancyRules.check(
                  caller.principal(),
                  request.getMethod(),
                  path,
                  request.getHeaders().getFirst(TENANT_DOMAIN_HEADER));
              exchange.getAttributes().put(Caller.ATTRIBUTE, caller);
              endSessionHereOnLogout(exchange, within, caller);
              return chain
                  .filter(exchange)
                  .contextWrite(c -> CumulusContext.withTenant(c, caller.tenantId()));
            })
        .doOnError(ApiException.class, e -> metrics.authFailure(e.kind(), path));
  }

  /**
   * A logout that succeeds through this gateway ends the session here before the client hears of
   * it, so its very next request is refused (auth-service records the end for every gateway).
   */
  private void endSessionHereOnLogout(
      ServerWebExchange exchange, PathContainer path, Caller caller) {
    String session = caller.principal().sessionId();
    if (session == null || !paths.isLogout(exchange.getRequest().getMethod(), path)) {
      return;
    }
    exchange
        .getResponse()
        .beforeCommit(
            () -> {
              HttpStatusCode status = exchange.getResponse().getStatusCode();
              if (status != null && status.is2xxSuccessful()) {
                revocations.endedHere(session);
              }
              return Mono.empty();
            });
  }

  /** Any of the credentials {@link #authenticate} would look at, valid or not. */
  private boolean carriesCredential(ServerHttpRequest request) {
    HttpHeaders headers = request.getHeaders();
    return headers.containsHeader(HttpHeaders.AUTHORIZATION)
        || headers.containsHeader(API_KEY_HEADER)
        || request.getQueryParams().containsKey("token");
  }

  private Mono<Caller> authenticate(
      ServerWebExchange exchange, ServerHttpRequest request, PathContainer path) {
    HttpHeaders headers = request.getHeaders();
    String authorization = headers.getFirst(HttpHeaders.AUTHORIZATION);
    if (authorization != null) {
      if (!authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
        return refused(exchange, "Unsupported authorization scheme: send a bearer token", false);
      }
      return verify(exchange, authorization.substring(BEARER.length()).trim());
    }
    String apiKey = headers.getFirst(API_KEY_HEADER);
    if (apiKey != null) {
      return apiKeys.authenticate(apiKey.trim());
    }
    if (paths.acceptsQueryToken(path)) {
      String token = request.getQueryParams().getFirst("token");
      if (token != null) {
        return verify(exchange, token);
      }
    }
    return refused(exchange, "Authentication required: send a bearer token or an API key", false);
  }

  private Mono<Caller> verify(ServerWebExchange exchange, String token) {
    if (token.isEmpty()) {
      return refused(exchange, "Invalid or expired token", true);
    }
    return tokens
        .verify(token)
        .onErrorResume(
            e -> {
              if (e instanceof BadJwtException) {
                // Expired, foreign-signed, alg none, tampered, malformed: the token's fault.
                return refused(exchange, "Invalid or expired token", true);
              }
              // The key set could not be fetched (auth-service away): not the caller's fault.
              log.warn("Cannot verify a token: {}", e.toString());
              return Mono.error(
                  new ApiException(
                      ErrorKind.SERVICE_UNAVAILABLE,
                      "Tokens cannot be verified right now, try again later",
                      null,
                      null,
                      Map.of(),
                      e));
            })
        .flatMap(
            verified -> {
              CumulusPrincipal principal = verified.principal();
              if (principal.tenantId() == null) {
                return refused(exchange, "Token carries no tenant", true);
              }
              Caller caller = new Caller(principal, token);
              return revocations
                  .isRevoked(
                      principal.sessionId(),
                      principal.subject(),
                      verified.issuedAt(),
                      EventLoops.of(exchange))
                  .flatMap(
                      revoked ->
                          revoked ? refused(exchange, "Token revoked", true) : Mono.just(caller));
            });
  }

  private static <T> Mono<T> refused(
      ServerWebExchange exchange, String message, boolean tokenGiven) {
    // RFC 6750: say which scheme to use, and whether a presented token was the problem.
    exchange
        .getResponse()
        .getHeaders()
        .set(
            HttpHeaders.WWW_AUTHENTICATE, tokenGiven ? "Bearer error=\"invalid_token\"" : "Bearer");
    return Mono.error(ApiException.unauthorized(message));
  }
}
