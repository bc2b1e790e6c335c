package dev.cumulus.auth.organization.web;

import dev.cumulus.auth.common.application.CallerResolver;
import dev.cumulus.auth.organization.application.OrganizationService;
import dev.cumulus.auth.organization.domain.Organization;
import dev.cumulus.platform.web.envelope.MultiTenantResponse;
import dev.cumulus.platform.web.envelope.MultiTenantResponse.Results;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** Seed 003 organizations of the current tenant. */
@RestController
@Tag(name = "Multi-tenant (seed 003)")
public class OrganizationController {

  private static final String DOMAIN = "X-Tenant-Domain";

  private final OrganizationService organizations;
  private final CallerResolver callers;

  public OrganizationController(OrganizationService organizations, CallerResolver callers) {
    this.organizations = organizations;
    this.callers = callers;
  }

  public record CreateRequest(
      @NotBlank @Size(max = 200) String name, @Size(max = 2000) String description) {}

  public record UpdateRequest(@Size(max = 200) String name, @Size(max = 2000) String description) {}

  @GetMapping({"/api/tenants/organizations/", "/api/tenants/organizations"})
  @Operation(summary = "The current tenant's organizations")
  public Mono<MultiTenantResponse<Results<Object>>> list(
      @RequestHeader(value = DOMAIN, required = false) String domain) {
    return callers
        .resolve(domain)
        .flatMapMany(organizations::list)
        .map(OrganizationController::view)
        .collectList()
        .map(MultiTenantResponse::results);
  }

  @PostMapping({"/api/tenants/organizations/", "/api/tenants/organizations"})
  @ResponseStatus(HttpStatus.CREATED)
  @Operation(summary = "Create an organization (admin)")
  public Mono<MultiTenantResponse<Object>> create(
      @Valid @RequestBody CreateRequest request,
      @RequestHeader(value = DOMAIN, required = false) String domain) {
    return callers
        .resolve(domain)
        .flatMap(caller -> organizations.create(caller, request.name(), request.description()))
        .map(org -> MultiTenantResponse.success("Success", view(org)));
  }

  @GetMapping({"/api/tenants/organizations/{id}/", "/api/tenants/organizations/{id}"})
  @Operation(summary = "One organization")
  public Mono<MultiTenantResponse<Object>> get(
      @PathVariable UUID id, @RequestHeader(value = DOMAIN, required = false) String domain) {
    return callers
        .resolve(domain)
        .flatMap(caller -> organizations.get(caller, id))
        .map(org -> MultiTenantResponse.success("Success", view(org)));
  }

  @PutMapping({"/api/tenants/organizations/{id}/", "/api/tenants/organizations/{id}"})
  @Operation(summary = "Update an organization (admin)")
  public Mono<MultiTenantResponse<Object>> update(
      @PathVariable UUID id,
      @Valid @RequestBody UpdateRequest request,
      @RequestHeader(value = DOMAIN, required = false) String domain) {
    return callers
        .resolve(domain)
        .flatMap(caller -> organizations.update(caller, id, request.name(), request.description()))
        .map(org -> MultiTenantResponse.success("Success", view(org)));
  }

  @DeleteMapping({"/api/tenants/organizations/{id}/", "/api/tenants/organizations/{id}"})
  @Operation(summary = "Delete an organization (admin)")
  public Mono<MultiTenantResponse<Object>> delete(
      @PathVariable UUID id, @RequestHeader(value = DOMAIN, required = false) String domain) {
    return callers
        .resolve(domain)
        .flatMap(caller -> organizations.delete(caller, id))
        .thenReturn(MultiTenantResponse.success("Organization deleted", null));
  }

  /** {@code {id, name, description, created_at, created_by:{id, username}}} */
  static Map<String, Object> view(Organization org) {
    Map<String, Object> createdBy = new LinkedHashMap<>();
    createdBy.put("id", org.createdBy().userId());
    createdBy.put("username", org.createdBy().username());
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("id", org.id());
    view.put("name", org.name());
    view.put("description", org.description());
    view.put("created_at", org.createdAt());
    view.put("created_by", createdBy);
    return view;
  }
}
