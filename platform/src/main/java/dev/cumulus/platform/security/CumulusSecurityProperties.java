package dev.cumulus.platform.security;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How a service verifies callers ({@code cumulus.security.*}).
 *
 * @param issuer the {@code iss} every token must carry
 * @param jwksUri where auth-service publishes its signing keys
 * @param publicPaths path patterns this service serves without a token (actuator, OpenAPI and
 *     Swagger UI are always public)
 * @param anonymousReadPaths path patterns whose GET and HEAD may come without a token: the
 *     controller then decides (e.g. objects of a public bucket) and must refuse an anonymous caller
 *     everything else; with a token the caller is authenticated as anywhere
 * @param selfAuthenticatedPaths path patterns Spring Security does not handle at all, because the
 *     service authenticates every request to them itself (storage-service's S3 endpoint checks
 *     SigV4 signatures): no token is read and no security header is added there
 * @param callerChecks the gateway's access decisions made again by this service
 * @param trustedProxies addresses and CIDR ranges whose {@code X-Forwarded-For} names the client
 *     ({@link dev.cumulus.platform.web.TrustedProxies}); from anyone else the TCP peer is the
 *     client
 */
@ConfigurationProperties("cumulus.security")
public record CumulusSecurityProperties(
    @DefaultValue(CumulusClaims.DEFAULT_ISSUER) String issuer,
    @DefaultValue("http://127.0.0.1:8081/.well-known/jwks.json") URI jwksUri,
    @DefaultValue List<String> publicPaths,
    @DefaultValue List<String> anonymousReadPaths,
    @DefaultValue List<String> selfAuthenticatedPaths,
    @DefaultValue CallerChecks callerChecks,
    @DefaultValue({"127.0.0.0/8", "::1"}) List<String> trustedProxies) {

  /**
   * The decisions the gateway makes about a verified token, made again by every service so that a
   * direct call gets the same answer (docs/identity.md, "Revocation"): tenancy, instance binding
   * and scopes ({@link TenancyRules}), and revocation ({@link RevocationCheck}).
   *
   * @param enabled off only where another filter makes them (the gateway)
   * @param recheckAfter how long a revocation answer is reused: a logout, a revoked API key, a
   *     deactivated or demoted user takes effect within this
   * @param redisTimeout how long a check waits for Redis before it lets the token through
   * @param maxEntries how many answers are kept
   */
  public record CallerChecks(
      @DefaultValue("true") boolean enabled,
      @DefaultValue("2s") Duration recheckAfter,
      @DefaultValue("200ms") Duration redisTimeout,
      @DefaultValue("100000") long maxEntries) {}

  /** Every service's own operational endpoints: actuator, OpenAPI document, Swagger UI. */
  public static final List<String> ALWAYS_PUBLIC =
      List.of("/actuator/**", "/v3/api-docs", "/v3/api-docs/**", "/swagger-ui*/**", "/webjars/**");
}
