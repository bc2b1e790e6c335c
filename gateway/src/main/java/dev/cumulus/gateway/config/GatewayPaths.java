package dev.cumulus.gateway.config;

import dev.cumulus.platform.registry.ServiceRegistry;
import dev.cumulus.platform.security.CumulusSecurityProperties;
import java.util.ArrayList;
import java.util.List;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.PathContainer;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/** Path classes the gateway treats specially: public, its own endpoints, never routed. */
public class GatewayPaths {

  private final List<PathPattern> publicPaths;
  private final List<PathPattern> gatewayOwn;
  private final List<PathPattern> queryTokenPaths;
  private final List<PathPattern> anonymousReadPaths;
  private final List<PathPattern> logoutPaths;
  private final List<PathPattern> signedPaths;

  public GatewayPaths(GatewayProperties properties) {
    this.publicPaths = parse(properties.publicPaths());
    // AWS protocols (signed routes of services.yml): the service verifies each SigV4 signature.
    this.signedPaths = parse(ServiceRegistry.packaged().signedPaths());
    // The gateway's own actuator, OpenAPI document and Swagger UI: neither routed nor limited.
    this.gatewayOwn = parse(CumulusSecurityProperties.ALWAYS_PUBLIC);
    this.queryTokenPaths = parse(properties.queryTokenPaths());
    this.anonymousReadPaths = parse(properties.anonymousReadPaths());
    this.logoutPaths = parse(properties.endedSessions().logoutPaths());
  }

  /** {@code /internal/**}: service-to-service endpoints, never reachable through the gateway. */
  public static boolean isInternal(String path) {
    return path.startsWith("/internal/") || path.equals("/internal");
  }

  /**
   * {@code /s3/**}: the S3 wire protocol, signed per request and checked by storage-service, which
   * also answers its CORS from each bucket's rules.
   */
  public static boolean isS3(String path) {
    return path.equals("/s3") || path.startsWith("/s3/");
  }

  public boolean isPublic(PathContainer path) {
    return matches(publicPaths, path) || isSigned(path);
  }

  /** An AWS wire protocol path (S3, SQS...): SigV4-signed, budgeted per access key. */
  public boolean isSigned(PathContainer path) {
    return matches(signedPaths, path);
  }

  public boolean isGatewayOwn(PathContainer path) {
    // A cheap prefix test keeps the common case (/api/...) free of pattern matching.
    String value = path.value();
    return (value.startsWith("/actuator")
            || value.startsWith("/v3/")
            || value.startsWith("/swagger-ui")
            || value.startsWith("/webjars/"))
        && matches(gatewayOwn, path);
  }

  /**
   * A GET or HEAD the target service may answer without a credential (a public bucket's object).
   */
  public boolean allowsAnonymousRead(HttpMethod method, PathContainer path) {
    return (HttpMethod.GET.equals(method) || HttpMethod.HEAD.equals(method))
        && matches(anonymousReadPaths, path);
  }

  /** A POST that ends the caller's session (seed 002's logout). */
  public boolean isLogout(HttpMethod method, PathContainer path) {
    return HttpMethod.POST.equals(method) && matches(logoutPaths, path);
  }

  public boolean acceptsQueryToken(PathContainer path) {
    return matches(queryTokenPaths, path);
  }

  private static boolean matches(List<PathPattern> patterns, PathContainer container) {
    for (PathPattern pattern : patterns) {
      if (pattern.matches(container)) {
        return true;
      }
    }
    return false;
  }

  private static List<PathPattern> parse(List<String> patterns) {
    List<PathPattern> parsed = new ArrayList<>();
    patterns.forEach(p -> parsed.add(PathPatternParser.defaultInstance.parse(p)));
    return List.copyOf(parsed);
  }
}
