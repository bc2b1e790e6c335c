package dev.cumulus.auth.s3credential.domain;

import java.time.Instant;
import java.util.UUID;

/**
 * An S3-style access key pair of one s3storage instance, without its secret: the secret is only
 * known at creation and, decrypted, inside auth-service when a signing key is derived from it.
 */
public record S3Credential(
    String accessKeyId,
    String tenantId,
    UUID serviceId,
    String createdBy,
    Instant createdAt,
    Instant revokedAt) {}
