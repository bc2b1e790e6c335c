package dev.cumulus.auth.user.domain;

import dev.cumulus.platform.error.ApiException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/** Input rules for users, shared by seed 002 and seed 003 endpoints. */
public final class UserRules {

  public static final int MIN_PASSWORD = 8;
  // Argon2 hashes any length, but megabyte passwords would be a cheap way to burn CPU.
  public static final int MAX_PASSWORD = 128;

  private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9_.@+-]{1,150}");
  private static final Pattern EMAIL = Pattern.compile("[^@\\s]{1,64}@[^@\\s]{1,255}\\.[^@\\s]+");
  private static final Pattern PERMISSION =
      Pattern.compile("\\*|[a-z][a-z0-9_-]{0,40}(:[a-z*][a-z0-9_*-]{0,40})?");

  private UserRules() {}

  public static String username(String value) {
    String v = value == null ? "" : value.trim();
    if (!USERNAME.matcher(v).matches()) {
      throw invalid("username", "must be 1-150 letters, digits or . _ @ + -");
    }
    return v;
  }

  public static String email(String value) {
    String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
    if (v.length() > 254 || !EMAIL.matcher(v).matches()) {
      throw invalid("email", "must be a valid e-mail address");
    }
    return v;
  }

  public static String password(String value) {
    if (value == null || value.length() < MIN_PASSWORD || value.length() > MAX_PASSWORD) {
      throw invalid(
          "password", "must be " + MIN_PASSWORD + " to " + MAX_PASSWORD + " characters long");
    }
    return value;
  }

  public static Role role(String value, Role fallback) {
    if (value == null || value.isBlank()) {
      return fallback;
    }
    return Role.parse(value)
        .orElseThrow(() -> invalid("role", "must be one of admin, operator, viewer, user"));
  }

  /** The given permissions, or the role's defaults when none are given. */
  public static List<String> permissions(List<String> given, Role role) {
    if (given == null) {
      return role.defaultPermissions();
    }
    if (given.size() > 100) {
      throw invalid("permissions", "at most 100 entries");
    }
    LinkedHashSet<String> clean = new LinkedHashSet<>();
    for (String permission : given) {
      String p = permission == null ? "" : permission.trim();
      if (!PERMISSION.matcher(p).matches()) {
        throw invalid("permissions", "'" + p + "' is not of the form resource:action or *");
      }
      clean.add(p);
    }
    return List.copyOf(clean);
  }

  public static String text(String field, String value, int max) {
    if (value == null) {
      return null;
    }
    String v = value.trim();
    if (v.length() > max) {
      throw invalid(field, "at most " + max + " characters");
    }
    return v;
  }

  public static ApiException invalid(String field, String problem) {
    return ApiException.validation(field + " " + problem, Map.of(field, List.of(problem)));
  }
}
