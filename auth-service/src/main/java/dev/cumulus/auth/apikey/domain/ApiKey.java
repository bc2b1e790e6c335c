package dev.cumulus.auth.apikey.domain;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * An API key {@code ck_<prefix>_<secret>}. Only the prefix and the SHA-256 of the whole key are
 * stored: the key has far more than 128 bits of entropy, so a slow hash would buy nothing.
 *
 * @param scopes {@code read}, {@code write} or {@code *}
 * @param serviceId the one service instance the key may reach, or null for the whole tenant
 */
public record ApiKey(
    UUID id,
    String tenantId,
    String name,
    String prefix,
    String keyHash,
    List<String> scopes,
    UUID serviceId,
    String createdBy,
    Instant createdAt,
    Instant expiresAt,
    Instant revokedAt) {

  public static final List<String> KNOWN_SCOPES = List.of("read", "write", "*");

  /** Whether the key may be used at this instant. */
  public boolean usableAt(Instant now) {
    return revokedAt == null && (expiresAt == null || expiresAt.isAfter(now));
  }

  /** {@code ck_<prefix>}: how a key is shown after creation. */
  public String displayPrefix() {
    return "ck_" + prefix;
  }
}
