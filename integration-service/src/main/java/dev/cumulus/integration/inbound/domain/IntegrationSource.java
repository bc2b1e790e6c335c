package dev.cumulus.integration.inbound.domain;

import java.time.Instant;
import java.util.UUID;

/**
 * An external service a tenant integrates (seed 003's {@code service}): it sends webhooks to {@code
 * /api/integrations/webhooks/<name>/}, is health-checked at {@code <baseUrl>/health/} and synced
 * from {@code <baseUrl>/api/data/<type>/}. A base URL ending in {@code /api/mock} is the tenant's
 * own mock sandbox, reached in-process.
 */
public record IntegrationSource(
    UUID id,
    String tenantId,
    String tenantDomain,
    String name,
    String baseUrl,
    boolean signatureRequired,
    Instant createdAt) {

  public boolean isMockSandbox() {
    String url = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    return url.equals("mock") || url.endsWith("/api/mock");
  }
}
