package dev.cumulus.storage.cors.domain;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * One S3 CORS rule. Origins and headers may hold one {@code *} wildcard; origins compare
 * case-sensitively, header names (as HTTP has them) without case.
 *
 * @param maxAgeSeconds how long a browser may cache the preflight answer, or null
 */
public record CorsRule(
    String id,
    List<String> allowedOrigins,
    List<String> allowedMethods,
    List<String> allowedHeaders,
    List<String> exposeHeaders,
    Integer maxAgeSeconds) {

  /** The methods S3 accepts in AllowedMethod. */
  public static final Set<String> METHODS = Set.of("GET", "PUT", "POST", "DELETE", "HEAD");

  public CorsRule {
    allowedOrigins = List.copyOf(allowedOrigins);
    allowedMethods = List.copyOf(allowedMethods);
    allowedHeaders = allowedHeaders == null ? List.of() : List.copyOf(allowedHeaders);
    exposeHeaders = exposeHeaders == null ? List.of() : List.copyOf(exposeHeaders);
  }

  /** Whether a request from this origin with this method is allowed (actual requests). */
  public boolean allows(String origin, String method) {
    return allowedMethods.contains(method)
        && allowedOrigins.stream().anyMatch(o -> wildcardMatch(o, origin, false));
  }

  /** Whether a preflight for this origin, method and every requested header is allowed. */
  public boolean allowsPreflight(String origin, String method, List<String> requestHeaders) {
    return allows(origin, method)
        && requestHeaders.stream()
            .allMatch(h -> allowedHeaders.stream().anyMatch(a -> wildcardMatch(a, h, true)));
  }

  /** What Access-Control-Allow-Origin says: {@code *} for a rule open to every origin. */
  public String allowOrigin(String origin) {
    return allowedOrigins.contains("*") ? "*" : origin;
  }

  /** A pattern with at most one {@code *}, which stands for any (possibly empty) text. */
  static boolean wildcardMatch(String pattern, String value, boolean ignoreCase) {
    if (ignoreCase) {
      pattern = pattern.toLowerCase(Locale.ROOT);
      value = value.toLowerCase(Locale.ROOT);
    }
    int star = pattern.indexOf('*');
    if (star < 0) {
      return pattern.equals(value);
    }
    String head = pattern.substring(0, star);
    String tail = pattern.substring(star + 1);
    return value.length() >= head.length() + tail.length()
        && value.startsWith(head)
        && value.endsWith(tail);
  }
}
