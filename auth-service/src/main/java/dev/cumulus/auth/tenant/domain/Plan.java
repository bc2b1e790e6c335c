package dev.cumulus.auth.tenant.domain;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** A tenant's plan; the gateway's per-tenant rate limit follows it (seed 000 "Rate Limiting"). */
public enum Plan {
  FREE,
  PRO,
  ENTERPRISE;

  /** The lower-case name used in JSON, in the database and in the {@code plan} claim. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<Plan> parse(String value) {
    if (value == null) {
      return Optional.empty();
    }
    return Arrays.stream(values()).filter(p -> p.id().equalsIgnoreCase(value.trim())).findFirst();
  }
}
