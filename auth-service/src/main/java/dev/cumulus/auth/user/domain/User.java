package dev.cumulus.auth.user.domain;

import dev.cumulus.platform.security.CumulusClaims;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A user of one tenant. {@code passwordHash} is null for users that only get tokens from seed 001's
 * {@code /auth/token}. {@code platformAdmin} users administer every tenant.
 */
public record User(
    long id,
    String tenantId,
    String username,
    String email,
    String name,
    String firstName,
    String lastName,
    String passwordHash,
    Role role,
    boolean platformAdmin,
    List<String> permissions,
    Map<String, Object> preferences,
    boolean active,
    Instant lastLogin,
    Instant createdAt,
    Instant updatedAt) {

  /** The {@code roles} claim: the tenant role, plus {@code platform_admin} where it applies. */
  public List<String> roles() {
    List<String> roles = new ArrayList<>(List.of(role.id()));
    if (platformAdmin) {
      roles.add(CumulusClaims.ROLE_PLATFORM_ADMIN);
    }
    return List.copyOf(roles);
  }

  /** Seed 002's single {@code name}: the name, else first and last name, else the username. */
  public String displayName() {
    if (name != null && !name.isBlank()) {
      return name;
    }
    String full = (nullToEmpty(firstName) + " " + nullToEmpty(lastName)).trim();
    return full.isEmpty() ? username : full;
  }

  private static String nullToEmpty(String value) {
    return value == null ? "" : value;
  }
}
