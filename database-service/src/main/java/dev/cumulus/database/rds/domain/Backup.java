package dev.cumulus.database.rds.domain;

import java.time.Instant;
import java.util.UUID;

/**
 * A logical dump of an instance's database.
 *
 * @param status {@code creating}, {@code available} or {@code failed}
 * @param location the blob's path in the backup store
 */
public record Backup(
    UUID id,
    String serviceId,
    String tenantId,
    String status,
    String location,
    Long sizeBytes,
    String sha256,
    int retentionDays,
    String error,
    Instant createdAt,
    Instant completedAt,
    Instant expiresAt) {

  public static final String CREATING = "creating";
  public static final String AVAILABLE = "available";
  public static final String FAILED = "failed";
}
