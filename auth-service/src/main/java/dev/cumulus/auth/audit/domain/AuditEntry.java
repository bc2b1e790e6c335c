package dev.cumulus.auth.audit.domain;

import dev.cumulus.auth.common.domain.Actor;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** One line of a tenant's audit trail. {@code changes} never holds passwords, hashes or secrets. */
public record AuditEntry(
    UUID id,
    String tenantId,
    Actor actor,
    AuditAction action,
    String resourceType,
    String resourceId,
    Map<String, Object> changes,
    String ipAddress,
    Instant timestamp) {}
