package dev.cumulus.updater.update.domain;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * One update of one container: the history record, the queue entry while {@code pending}, and the
 * lease of the instance running it while {@code in_progress}.
 *
 * @param trigger {@code manual}, {@code schedule}, {@code policy} (a cron check found a new digest)
 *     or {@code rollback} (back to an earlier digest)
 * @param toImage what to run: {@code repo:tag}, or {@code repo@sha256:...} for a rollback
 */
public record Update(
    UUID id,
    String tenantId,
    long containerId,
    String containerName,
    UUID batchId,
    String trigger,
    String strategy,
    String status,
    String fromImage,
    String fromDigest,
    String toImage,
    String toDigest,
    UpdateOptions options,
    Instant scheduledAt,
    Instant startedAt,
    Instant completedAt,
    Boolean success,
    boolean rolledBack,
    List<UpdateLog> logs,
    Instant createdAt) {}
