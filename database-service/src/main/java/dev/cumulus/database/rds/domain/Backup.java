package dev.cumulus.database.rds.domain;

import java.time.Instant;
import java.util.UUID;

/**
 * A logical dump of an instance's database.
 *
 * @param status {@code creating}, {@code available} or {@code failed}
 * @param location the object's path in the backup store
 * @param store the store holding it ({@code local}, {@code s3})
 * @param format {@code gzip} (taken before encryption) or {@link BackupCipher#FORMAT_ENCRYPTED}
 * @param dataKey the backup's data key sealed by the master key; null for {@code gzip}
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
    Instant expiresAt,
    String store,
    String format,
    byte[] dataKey) {

  public boolean encrypted() {
    return BackupCipher.FORMAT_ENCRYPTED.equals(format);
  }

  public static final String CREATING = "creating";
  public static final String AVAILABLE = "available";
  public static final String FAILED = "failed";
}
