package dev.cumulus.gateway.config;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.convert.DurationStyle;

/**
 * The gateway's own settings ({@code cumulus.gateway.*}); routes, timeouts and CORS live under
 * {@code spring.cloud.gateway.server.webflux.*}.
 *
 * @param publicPaths path patterns served without a credential (docs/identity.md); the gateway's
 *     own actuator, OpenAPI and Swagger UI are always public
 * @param anonymousReadPaths path patterns whose GET and HEAD pass through without a credential
 *     (then as an anonymous caller, on the per-IP budget); the service decides — storage-service
 *     serves objects of public buckets. With a credential the caller is authenticated as anywhere.
 * @param queryTokenPaths paths that may carry the token as {@code ?token=} (WebSocket clients
 *     cannot set headers; seed 002's {@code /api/ws})
 * @param apiKeyCacheTtl how long an exchanged token is reused (never beyond its expiry): bounds how
 *     long a revoked key keeps working
 * @param apiKeyNegativeCacheTtl how long a refused key is remembered as refused
 * @param trustForwardedFor take the client address from {@code X-Forwarded-For} (its right-most
 *     entry, written by the trusted proxy in front) instead of the TCP peer
 * @param accessLog one INFO line per request
 * @param verifiedTokenCache how verified bearer tokens are remembered
 * @param endedSessions logouts this gateway sees succeed (revocation checks themselves are
 *     platform's: {@code cumulus.security.caller-checks})
 */
@ConfigurationProperties("cumulus.gateway")
public record GatewayProperties(
    @DefaultValue({
          "/.well-known/jwks.json",
          "/auth/token",
          "/api/auth/login",
          "/api/auth/refresh",
          "/api/tenants/auth",
          "/api/tenants/auth/",
          "/api/integrations/webhooks/**",
          "/webhooks/stripe",
          "/healthz",
          "/readyz",
          "/api/health",
          "/api/monitoring/health",
          // S3 requests carry a SigV4 signature, verified by storage-service.
          "/s3",
          "/s3/**",
          // The web console's static files; its API calls carry the user's token.
          "/console",
          "/console/**"
        })
        List<String> publicPaths,
    @DefaultValue("/api/s3storage/*/*/buckets/*/objects/*/**") List<String> anonymousReadPaths,
    @DefaultValue("/api/ws") List<String> queryTokenPaths,
    @DefaultValue("3s") Duration apiKeyCacheTtl,
    @DefaultValue("1s") Duration apiKeyNegativeCacheTtl,
    @DefaultValue("false") boolean trustForwardedFor,
    @DefaultValue("true") boolean accessLog,
    @DefaultValue VerifiedTokenCache verifiedTokenCache,
    @DefaultValue EndedSessions endedSessions,
    @DefaultValue RateLimits rateLimits) {

  /**
   * Verified bearer tokens remembered until they expire, at most {@code maxAge}.
   *
   * @param maxEntries how many distinct tokens are remembered
   * @param maxAge the longest a verified token is remembered
   */
  public record VerifiedTokenCache(
      @DefaultValue("50000") long maxEntries, @DefaultValue("5m") Duration maxAge) {}

  /**
   * Sessions ended through this gateway, whose tokens it refuses at once.
   *
   * @param logoutPaths POSTs that end the caller's session: once one succeeds through this gateway,
   *     the session's tokens are refused here at once
   */
  public record EndedSessions(@DefaultValue("/api/auth/logout") List<String> logoutPaths) {}

  /**
   * Fixed-window limits counted in Redis.
   *
   * @param enabled switch the whole thing off (the headers then disappear too)
   * @param redisTimeout how long a request waits for Redis before it is let through uncounted
   * @param keyPrefix prefix of every counter key
   * @param plans per-tenant budget of DockSaaS, EventFlow and multi-tenant routes, by plan
   * @param anonymous per-IP budget of those families for requests without a credential
   * @param autoUpdate Auto-Update family (seed 002): per IP, per user, per admin
   * @param cloudIntegration Cloud Integration family (seed 004): per IP
   * @param s3 AWS wire protocols (S3, SQS, DynamoDB...): per access key id (as claimed; the gateway
   *     cannot verify SigV4) when auth-service cannot say whose the key is, per IP for unsigned
   *     requests and for those the service refused (403)
   * @param awsPlans AWS wire protocols, per tenant by plan for keys auth-service knows: a tenant's
   *     new keys add no budget
   */
  public record RateLimits(
      @DefaultValue("true") boolean enabled,
      @DefaultValue("100ms") Duration redisTimeout,
      @DefaultValue("cumulus:rl:") String keyPrefix,
      @DefaultValue Plans plans,
      @DefaultValue("1000/1h") Limit anonymous,
      @DefaultValue AutoUpdate autoUpdate,
      @DefaultValue("100/15m") Limit cloudIntegration,
      @DefaultValue("300000/1m") Limit s3,
      @DefaultValue AwsPlans awsPlans,
      @DefaultValue("60/1m") Limit failedAuthentications) {}

  /** Seed 000 "Rate Limiting": requests per hour by plan; unknown plans count as free. */
  public record Plans(
      @DefaultValue("1000/1h") Limit free,
      @DefaultValue("10000/1h") Limit pro,
      @DefaultValue("100000/1h") Limit enterprise) {

    public Limit of(String plan) {
      return byPlan(plan, free, pro, enterprise);
    }
  }

  /** AWS-protocol requests per tenant by plan (issue 21 §3); unknown plans count as free. */
  public record AwsPlans(
      @DefaultValue("60000/1m") Limit free,
      @DefaultValue("300000/1m") Limit pro,
      @DefaultValue("1200000/1m") Limit enterprise) {

    public Limit of(String plan) {
      return byPlan(plan, free, pro, enterprise);
    }
  }

  private static Limit byPlan(String plan, Limit free, Limit pro, Limit enterprise) {
    if (plan == null) {
      return free;
    }
    return switch (plan) {
      case "pro" -> pro;
      case "enterprise" -> enterprise;
      default -> free;
    };
  }

  /** Seed 002 "Rate Limit Policy". */
  public record AutoUpdate(
      @DefaultValue("100/1m") Limit anonymous,
      @DefaultValue("1000/1m") Limit user,
      @DefaultValue("5000/1m") Limit admin) {}

  /**
   * At most {@code requests} per fixed {@code window}, written {@code 1000/1h} in configuration.
   */
  public record Limit(long requests, Duration window) {

    public Limit {
      if (requests < 1 || window.toMillis() < 1) {
        throw new IllegalArgumentException("A rate limit needs requests >= 1 and a window >= 1ms");
      }
    }

    /** Parses {@code <requests>/<duration>}, the duration in Spring's style ({@code 15m}). */
    public static Limit parse(String text) {
      int slash = text.indexOf('/');
      if (slash < 0) {
        throw new IllegalArgumentException("Expected <requests>/<window>, e.g. 1000/1h: " + text);
      }
      return new Limit(
          Long.parseLong(text.substring(0, slash).trim()),
          DurationStyle.detectAndParse(text.substring(slash + 1).trim()));
    }

    public long windowMillis() {
      return window.toMillis();
    }
  }
}
