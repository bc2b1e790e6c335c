package dev.cumulus.storage.instance.domain;

import java.time.Instant;

/** A storage service instance, as announced by auth-service's {@code service.created}. */
public record StorageInstance(
    String serviceId, String tenantId, String name, Instant createdAt, boolean deleted) {}
