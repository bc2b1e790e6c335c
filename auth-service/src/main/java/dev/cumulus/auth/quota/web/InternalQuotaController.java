package dev.cumulus.auth.quota.web;

import dev.cumulus.auth.quota.application.QuotaService;
import dev.cumulus.platform.security.InternalSecret;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * A tenant's effective limits (its plan's with its overrides) for the services that enforce them:
 * storage-service counts buckets and stored bytes itself and asks here what they may reach;
 * database-service sizes a managed PostgreSQL instance's limits by the plan.
 */
@RestController
@Tag(name = "Internal", description = "Used by storage-service and database-service")
public class InternalQuotaController {

  private final QuotaService quotas;
  private final InternalSecret internalSecret;

  public InternalQuotaController(QuotaService quotas, InternalSecret internalSecret) {
    this.quotas = quotas;
    this.internalSecret = internalSecret;
  }

  public record TenantQuota(String tenantId, String plan, Map<String, Long> quotas) {}

  @GetMapping("/internal/tenants/{tenantId}/quota")
  @Operation(
      summary = "A tenant's effective limits",
      description = "Needs X-Cumulus-Internal-Secret; 404 when there is no such tenant.")
  public Mono<TenantQuota> quota(
      @RequestHeader(value = InternalSecret.HEADER, required = false) String presented,
      @PathVariable String tenantId) {
    return internalSecret.require(
        presented,
        null,
        quotas
            .planAndQuota(tenantId)
            .map(found -> new TenantQuota(tenantId, found.plan(), found.quota().byName())));
  }
}
