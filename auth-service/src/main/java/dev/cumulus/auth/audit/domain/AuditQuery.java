package dev.cumulus.auth.audit.domain;

import java.time.Instant;

/**
 * One page of a tenant's audit trail, newest first: entries after {@code after} (null for the first
 * page) that match every filter given (null matches everything).
 *
 * @param user part of the username, any case
 * @param text part of the resource id, the IP address or the recorded changes, any case
 * @param from entries at or after this instant
 * @param until entries before this instant
 */
public record AuditQuery(
    String tenantId,
    AuditAction action,
    String resourceType,
    String user,
    String text,
    Instant from,
    Instant until,
    AuditCursor after,
    int limit) {}
