package dev.cumulus.auth.organization.domain;

import dev.cumulus.auth.common.domain.Actor;
import java.time.Instant;
import java.util.UUID;

/** A seed 003 organization of a tenant; {@code createdBy} is kept even if the user is deleted. */
public record Organization(
    UUID id,
    String tenantId,
    String name,
    String description,
    Actor createdBy,
    Instant createdAt,
    Instant updatedAt) {}
