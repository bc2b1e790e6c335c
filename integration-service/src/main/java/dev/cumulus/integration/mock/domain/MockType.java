package dev.cumulus.integration.mock.domain;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The three record types of seed 003's mock services, with the fields each takes: what a POST body
 * must carry, and what is stored (unknown fields are ignored).
 */
public enum MockType {
  USERS("users"),
  SUBSCRIPTIONS("subscriptions"),
  NOTIFICATIONS("notifications");

  private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");
  private static final Set<String> USER_STATUSES = Set.of("active", "inactive", "suspended");
  private static final Set<String> SUBSCRIPTION_STATUSES =
      Set.of("active", "trialing", "past_due", "cancelled", "canceled", "expired");
  private static final Set<String> CHANNELS = Set.of("email", "sms", "push", "in_app");

  private final String path;

  MockType(String path) {
    this.path = path;
  }

  public String path() {
    return path;
  }

  public static Optional<MockType> of(String path) {
    for (MockType t : values()) {
      if (t.path.equals(path)) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }

  /**
   * The stored fields of a POST body.
   *
   * @throws IllegalArgumentException naming the field that is missing or wrong
   */
  public Map<String, Object> fields(Map<String, Object> body) {
    Map<String, Object> out = new LinkedHashMap<>();
    switch (this) {
      case USERS -> {
        String email = text(body, "email", true);
        if (!EMAIL.matcher(email).matches()) {
          throw new IllegalArgumentException("email: Enter a valid email address.");
        }
        out.put("email", email);
        out.put("name", text(body, "name", true));
        out.put("status", oneOf(body, "status", USER_STATUSES, "active"));
      }
      case SUBSCRIPTIONS -> {
        out.put("user_id", text(body, "user_id", true));
        out.put("plan", text(body, "plan", true));
        String amount = text(body, "amount", true);
        try {
          BigDecimal value = new BigDecimal(amount);
          if (value.signum() < 0 || value.scale() > 2) {
            throw new IllegalArgumentException(
                "amount: Ensure it is a positive amount with 2 decimals.");
          }
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("amount: A valid number is required.");
        }
        out.put("amount", amount);
        out.put("status", oneOf(body, "status", SUBSCRIPTION_STATUSES, "active"));
      }
      case NOTIFICATIONS -> {
        out.put("user_id", text(body, "user_id", true));
        out.put("type", oneOf(body, "type", CHANNELS, "email"));
        out.put("subject", text(body, "subject", true));
        out.put("message", text(body, "message", true));
        out.put("status", "sent");
      }
    }
    return out;
  }

  private static String text(Map<String, Object> body, String field, boolean required) {
    Object value = body.get(field);
    if (value == null || value.toString().isBlank()) {
      if (required) {
        throw new IllegalArgumentException(field + ": This field is required.");
      }
      return null;
    }
    if (value instanceof Map<?, ?> || value instanceof Iterable<?>) {
      throw new IllegalArgumentException(field + ": Not a valid string.");
    }
    return value.toString();
  }

  private static String oneOf(
      Map<String, Object> body, String field, Set<String> allowed, String fallback) {
    String value = text(body, field, false);
    if (value == null) {
      return fallback;
    }
    if (!allowed.contains(value)) {
      throw new IllegalArgumentException(field + ": \"" + value + "\" is not a valid choice.");
    }
    return value;
  }
}
