package dev.cumulus.integration.sync.domain;

import java.time.Instant;
import java.util.Set;
import java.util.UUID;

/**
 * A sync of one record type from one source into the tenant's records.
 *
 * @param cursor how many records were fetched so far: where a resumed job continues
 * @param total the source's count at the last page, null before the first
 */
public record SyncJob(
    UUID id,
    String tenantId,
    UUID serviceId,
    String serviceName,
    String syncType,
    String status,
    int cursor,
    Integer total,
    int recordsSynced,
    int attempts,
    String error,
    Instant createdAt,
    Instant startedAt,
    Instant finishedAt) {

  public static final Set<String> TYPES = Set.of("users", "subscriptions", "notifications");
}
