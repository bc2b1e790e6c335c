package dev.cumulus.auth.tenant.web;

import dev.cumulus.auth.common.application.CallerResolver;
import dev.cumulus.auth.tenant.application.TenantService;
import dev.cumulus.auth.tenant.application.TenantService.TenantChange;
import dev.cumulus.auth.tenant.domain.Tenant;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Platform administrators manage tenants and their plans (DockSaaS envelope, camelCase). */
@RestController
@RequestMapping("/api/admin/tenants")
@Tag(name = "Admin: tenants", description = "Create, list and update tenants (platform admin)")
public class AdminTenantController {

  private final TenantService tenants;
  private final CallerResolver callers;

  public AdminTenantController(TenantService tenants, CallerResolver callers) {
    this.tenants = tenants;
    this.callers = callers;
  }

  public record CreateTenantRequest(
      @NotBlank @Size(max = 63) String id,
      @Size(max = 253) String domain,
      @Size(max = 200) String name,
      String plan) {}

  public record UpdateTenantRequest(
      @Size(max = 253) String domain, @Size(max = 200) String name, String plan) {}

  public record TenantView(
      String id, String domain, String name, String plan, Instant createdAt, Instant updatedAt) {
    static TenantView of(Tenant t) {
      return new TenantView(
          t.id(), t.domain(), t.name(), t.plan().id(), t.createdAt(), t.updatedAt());
    }
  }

  @PostMapping
  @ResponseStatus(HttpStatus.CREATED)
  @Operation(summary = "Create a tenant; plan is free, pro or enterprise (default free)")
  public Mono<TenantView> create(@Valid @RequestBody CreateTenantRequest request) {
    return callers
        .resolve()
        .flatMap(
            caller ->
                tenants.create(
                    caller,
                    new TenantChange(
                        request.id(), request.domain(), request.name(), request.plan())))
        .map(TenantView::of);
  }

  @GetMapping
  @Operation(summary = "List every tenant")
  public Flux<TenantView> list() {
    return callers.resolve().flatMapMany(tenants::list).map(TenantView::of);
  }

  @GetMapping("/{id}")
  @Operation(summary = "Get one tenant")
  public Mono<TenantView> get(@PathVariable String id) {
    return callers.resolve().flatMap(caller -> tenants.get(caller, id)).map(TenantView::of);
  }

  @PatchMapping("/{id}")
  @Operation(summary = "Change a tenant's name, domain or plan")
  public Mono<TenantView> update(
      @PathVariable String id, @Valid @RequestBody UpdateTenantRequest request) {
    return callers
        .resolve()
        .flatMap(
            caller ->
                tenants.update(
                    caller,
                    id,
                    new TenantChange(null, request.domain(), request.name(), request.plan())))
        .map(TenantView::of);
  }
}
