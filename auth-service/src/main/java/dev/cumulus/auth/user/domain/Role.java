package dev.cumulus.auth.user.domain;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A user's role in their tenant, with the permissions it implies when none are given (seed 002's
 * {@code container:read} style).
 */
public enum Role {
  ADMIN(List.of("*")),
  OPERATOR(
      List.of("container:read", "container:write", "image:read", "update:read", "update:write")),
  VIEWER(List.of("container:read", "image:read", "update:read")),
  USER(List.of("container:read", "image:read", "update:read"));

  private final List<String> defaultPermissions;

  Role(List<String> defaultPermissions) {
    this.defaultPermissions = defaultPermissions;
  }

  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  public List<String> defaultPermissions() {
    return defaultPermissions;
  }

  public static Optional<Role> parse(String value) {
    if (value == null) {
      return Optional.empty();
    }
    return Arrays.stream(values()).filter(r -> r.id().equalsIgnoreCase(value.trim())).findFirst();
  }
}
