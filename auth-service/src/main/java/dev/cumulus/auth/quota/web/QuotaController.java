package dev.cumulus.auth.quota.web;

import dev.cumulus.auth.common.application.CallerResolver;
import dev.cumulus.auth.quota.application.QuotaService;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** A tenant's limits and usage; a platform administrator's per-tenant overrides. */
@RestController
@Tag(name = "Quotas", description = "Plan limits, per-tenant overrides and usage")
public class QuotaController {

  private final QuotaService quotas;
  private final CallerResolver callers;

  public QuotaController(QuotaService quotas, CallerResolver callers) {
    this.quotas = quotas;
    this.callers = callers;
  }

  @GetMapping("/api/usage")
  @Operation(summary = "The caller's tenant: its limits and what it holds against them")
  public Mono<QuotaService.Usage> usage(
      @RequestHeader(value = "X-Tenant-Domain", required = false) String domain) {
    return callers.resolve(domain).flatMap(quotas::usage);
  }

  @PutMapping("/api/admin/tenants/{tenantId}/quotas")
  @Operation(
      summary =
          "Set a tenant's own limits (platform admin): instances, api_keys, access_keys, buckets,"
              + " stored_bytes, max_object_bytes; {} returns it to its plan's")
  public Mono<Map<String, Long>> setOverrides(
      @PathVariable String tenantId, @RequestBody Map<String, Long> overrides) {
    return callers
        .resolve()
        .flatMap(caller -> quotas.setOverrides(caller, tenantId, overrides))
        .map(quota -> quota.byName());
  }
}
