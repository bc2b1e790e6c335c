package dev.cumulus.storage.cors.domain;

import java.util.List;
import java.util.Optional;

/** A bucket's CORS rules (S3's CORSConfiguration); the first matching rule applies. */
public record CorsConfiguration(List<CorsRule> rules) {

  public static final int MAX_RULES = 100;

  public CorsConfiguration {
    rules = List.copyOf(rules);
  }

  /** What S3 refuses in a well-formed configuration; empty when it is acceptable. */
  public Optional<String> violation() {
    if (rules.isEmpty()) {
      return Optional.of("At least one CORSRule is required");
    }
    if (rules.size() > MAX_RULES) {
      return Optional.of("A CORS configuration can have at most " + MAX_RULES + " rules");
    }
    for (CorsRule rule : rules) {
      if (rule.allowedOrigins().isEmpty() || rule.allowedMethods().isEmpty()) {
        return Optional.of("A CORSRule needs at least one AllowedOrigin and AllowedMethod");
      }
      for (String method : rule.allowedMethods()) {
        if (!CorsRule.METHODS.contains(method)) {
          return Optional.of(
              "Found unsupported HTTP method in CORS config. Unsupported method is " + method);
        }
      }
      for (String origin : rule.allowedOrigins()) {
        if (wildcards(origin) > 1) {
          return Optional.of(
              "AllowedOrigin \"" + origin + "\" can not have more than one wildcard.");
        }
      }
      for (String header : rule.allowedHeaders()) {
        if (wildcards(header) > 1) {
          return Optional.of(
              "AllowedHeader \"" + header + "\" can not have more than one wildcard.");
        }
      }
      if (rule.maxAgeSeconds() != null && rule.maxAgeSeconds() < 0) {
        return Optional.of("MaxAgeSeconds must not be negative");
      }
    }
    return Optional.empty();
  }

  public Optional<CorsRule> matchActual(String origin, String method) {
    return rules.stream().filter(r -> r.allows(origin, method)).findFirst();
  }

  public Optional<CorsRule> matchPreflight(
      String origin, String method, List<String> requestHeaders) {
    return rules.stream()
        .filter(r -> r.allowsPreflight(origin, method, requestHeaders))
        .findFirst();
  }

  private static long wildcards(String pattern) {
    return pattern.chars().filter(c -> c == '*').count();
  }
}
