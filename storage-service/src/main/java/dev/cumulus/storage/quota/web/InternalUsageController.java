package dev.cumulus.storage.quota.web;

import dev.cumulus.platform.security.InternalSecret;
import dev.cumulus.storage.quota.application.TenantQuotas;
import dev.cumulus.storage.quota.domain.TenantUsage;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * A tenant's storage usage across its s3storage instances, for auth-service's tenant-wide {@code
 * GET /api/usage} (issue 21 §3). {@code X-Cumulus-Internal-Secret} is its credential.
 */
@RestController
@Tag(name = "Internal", description = "Used by auth-service")
public class InternalUsageController {

  private final TenantQuotas quotas;
  private final InternalSecret internalSecret;

  public InternalUsageController(TenantQuotas quotas, InternalSecret internalSecret) {
    this.quotas = quotas;
    this.internalSecret = internalSecret;
  }

  public record TenantStorageUsage(String tenantId, TenantUsage usage) {}

  @GetMapping("/internal/tenants/{tenantId}/usage")
  @Operation(
      summary = "A tenant's buckets, objects, stored and parked bytes",
      description = "Needs X-Cumulus-Internal-Secret; a tenant with no storage has zeros.")
  public Mono<TenantStorageUsage> usage(
      @RequestHeader(value = InternalSecret.HEADER, required = false) String presented,
      @PathVariable String tenantId) {
    return internalSecret.require(
        presented,
        null,
        quotas.usage(tenantId).map(usage -> new TenantStorageUsage(tenantId, usage)));
  }
}
