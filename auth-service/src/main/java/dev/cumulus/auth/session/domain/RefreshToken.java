package dev.cumulus.auth.session.domain;

import java.time.Instant;
import java.util.UUID;

/** A stored refresh token (only its SHA-256 is kept); one family per login session. */
public record RefreshToken(
    String tokenHash,
    UUID familyId,
    long userId,
    String tenantId,
    Instant expiresAt,
    Instant rotatedAt,
    Instant revokedAt) {}
