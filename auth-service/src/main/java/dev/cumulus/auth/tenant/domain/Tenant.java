package dev.cumulus.auth.tenant.domain;

import java.time.Instant;
import java.util.regex.Pattern;

/**
 * A tenant: its id is a slug (used in paths and Kubernetes namespaces), its domain is what seed 003
 * clients send in {@code X-Tenant-Domain}.
 */
public record Tenant(
    String id, String domain, String name, Plan plan, Instant createdAt, Instant updatedAt) {

  /** DNS-label style: lower-case letters, digits and inner hyphens, at most 63 characters. */
  public static final Pattern ID = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

  /** One or more DNS labels separated by dots. */
  public static final Pattern DOMAIN =
      Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*");

  public static boolean validId(String id) {
    return id != null && ID.matcher(id).matches();
  }

  public static boolean validDomain(String domain) {
    return domain != null && domain.length() <= 253 && DOMAIN.matcher(domain).matches();
  }
}
