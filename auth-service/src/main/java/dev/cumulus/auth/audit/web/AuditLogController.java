package dev.cumulus.auth.audit.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.cumulus.auth.audit.application.AuditLog;
import dev.cumulus.auth.audit.domain.AuditEntry;
import dev.cumulus.auth.common.application.CallerResolver;
import dev.cumulus.platform.web.envelope.MultiTenantResponse;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * Seed 003: the current tenant's audit trail, newest first (administrators only), a page at a time:
 * {@code next_cursor} of one page, sent back as {@code cursor}, gives the next (keyset paging, so
 * entries written meanwhile neither repeat nor hide older ones).
 */
@RestController
@Tag(name = "Multi-tenant (seed 003)")
public class AuditLogController {

  private final AuditLog audit;
  private final CallerResolver callers;

  public AuditLogController(AuditLog audit, CallerResolver callers) {
    this.audit = audit;
    this.callers = callers;
  }

  /** Seed 003's {@code data.results}, plus where the next page starts (null after the last). */
  public record AuditLogPage(
      List<Map<String, Object>> results,
      @JsonProperty("next_cursor") @JsonInclude(JsonInclude.Include.ALWAYS) String nextCursor) {}

  @GetMapping({"/api/tenants/audit-logs/", "/api/tenants/audit-logs"})
  @Operation(
      summary = "Audit entries of the current tenant, newest first (admin), a page at a time",
      description =
          "limit 1-1000 (default 100); cursor: the previous page's next_cursor; filters: action,"
              + " resource_type, user (part of the username), q (part of the resource id, IP or"
              + " changes), from and to (days YYYY-MM-DD in UTC, both included)")
  public Mono<MultiTenantResponse<AuditLogPage>> list(
      @RequestParam(required = false) String limit,
      @RequestParam(required = false) String cursor,
      @RequestParam(required = false) String action,
      @RequestParam(value = "resource_type", required = false) String resourceType,
      @RequestParam(required = false) String user,
      @RequestParam(required = false) String q,
      @RequestParam(required = false) String from,
      @RequestParam(required = false) String to,
      @RequestHeader(value = "X-Tenant-Domain", required = false) String domain) {
    AuditLogRequest request =
        new AuditLogRequest(limit, cursor, action, resourceType, user, q, from, to);
    return callers
        .resolve(domain)
        .map(caller -> caller.requireTenantAdmin())
        .flatMap(caller -> audit.page(request.query(caller.tenantId())))
        .map(
            page ->
                MultiTenantResponse.success(
                    "Success",
                    new AuditLogPage(
                        page.entries().stream().map(AuditLogController::view).toList(),
                        page.next() == null ? null : page.next().encode())));
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
