package dev.cumulus.auth.common.domain;

import java.util.UUID;

/**
 * A tenant's service instance as the features that hang credentials on instances see it (API keys,
 * S3 access keys). The instance feature owns the instance itself and hands these out.
 *
 * @param serviceType the type as the API names it, e.g. {@code S3Storage}
 * @param speaksAwsProtocols whether the instance speaks AWS protocols and so has access keys
 */
public record InstanceRef(
    UUID id, String tenantId, String serviceName, String serviceType, boolean speaksAwsProtocols) {}
