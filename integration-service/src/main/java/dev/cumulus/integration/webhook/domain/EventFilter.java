package dev.cumulus.integration.webhook.domain;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Which events an endpoint receives: names such as {@code object.created}, or patterns where {@code
 * *} stands for any run of characters ({@code object.*}, {@code *.failed}, {@code *}).
 */
public final class EventFilter {

  private static final Pattern VALID = Pattern.compile("[a-z0-9*][a-z0-9_.*-]{0,99}");

  private EventFilter() {}

  /** Null when every pattern is well formed, else the first bad one. */
  public static String firstInvalid(List<String> patterns) {
    return patterns.stream()
        .filter(p -> p == null || !VALID.matcher(p).matches())
        .findFirst()
        .orElse(null);
  }

  public static boolean matches(List<String> patterns, String eventName) {
    return patterns.stream().anyMatch(pattern -> matches(pattern, eventName));
  }

  static boolean matches(String pattern, String eventName) {
    StringBuilder regex = new StringBuilder();
    for (String literal : pattern.split("\\*", -1)) {
      if (!regex.isEmpty()) {
        regex.append(".*");
      }
      regex.append(Pattern.quote(literal));
    }
    return eventName.matches(regex.toString());
  }
}
