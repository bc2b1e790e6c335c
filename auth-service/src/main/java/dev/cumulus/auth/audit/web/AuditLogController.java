package dev.cumulus.auth.audit.web;

import dev.cumulus.auth.audit.application.AuditLog;
import dev.cumulus.auth.audit.domain.AuditEntry;
import dev.cumulus.auth.common.application.CallerResolver;
import dev.cumulus.platform.web.envelope.MultiTenantResponse;
import dev.cumulus.platform.web.envelope.MultiTenantResponse.Results;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** Seed 003: the current tenant's audit trail, newest first (administrators only). */
@RestController
@Tag(name = "Multi-tenant (seed 003)")
public class AuditLogController {

  private static final int MAX_LIMIT = 1000;

  private final AuditLog audit;
  private final CallerResolver callers;

  public AuditLogController(AuditLog audit, CallerResolver callers) {
    this.audit = audit;
    this.callers = callers;
  }

  @GetMapping({"/api/tenants/audit-logs/", "/api/tenants/audit-logs"})
  @Operation(summary = "Audit entries of the current tenant, newest first (admin); ?limit=100")
  public Mono<MultiTenantResponse<Results<Object>>> list(
      @RequestParam(defaultValue = "100") int limit,
      @RequestHeader(value = "X-Tenant-Domain", required = false) String domain) {
    int size = Math.max(1, Math.min(limit, MAX_LIMIT));
    return callers
        .resolve(domain)
        .map(caller -> caller.requireTenantAdmin())
        .flatMapMany(caller -> audit.latest(caller.tenantId(), size))
        .map(AuditLogController::view)
        .collectList()
        .map(MultiTenantResponse::results);
  }

  static Map<String, Object> view(AuditEntry entry) {
    Map<String, Object> user = new LinkedHashMap<>();
    user.put("id", entry.actor().userId());
    user.put("username", entry.actor().username());
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("id", entry.id());
    view.put("user", user);
    view.put("action", entry.action().name());
    view.put("resource_type", entry.resourceType());
    view.put("resource_id", entry.resourceId());
    view.put("changes", entry.changes());
    view.put("timestamp", entry.timestamp());
    view.put("ip_address", entry.ipAddress());
    return view;
  }
}
