package dev.cumulus.auth.user.web;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.cumulus.auth.common.application.CallerResolver;
import dev.cumulus.auth.user.application.UserService;
import dev.cumulus.auth.user.application.UserService.UserInput;
import dev.cumulus.platform.web.envelope.MultiTenantResponse;
import dev.cumulus.platform.web.envelope.MultiTenantResponse.Results;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.util.List;
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

/**
 * Seed 003: users of the current tenant ({@code X-Tenant-Domain}). Members list and read; only
 * administrators create, change others and delete.
 */
@RestController
@Tag(name = "Multi-tenant (seed 003)")
public class TenantUserController {

  private static final String DOMAIN = "X-Tenant-Domain";

  private final UserService users;
  private final CallerResolver callers;

  public TenantUserController(UserService users, CallerResolver callers) {
    this.users = users;
    this.callers = callers;
  }

  public record CreateRequest(
      @NotBlank @Size(max = 150) String username,
      @NotBlank @Size(max = 254) String email,
      @NotBlank @Size(max = 1024) String password,
      @JsonProperty("first_name") String firstName,
      @JsonProperty("last_name") String lastName,
      String role,
      List<String> permissions) {}

  /** Same fields as create; absent ones stay unchanged. */
  public record UpdateRequest(
      @Size(max = 150) String username,
      @Size(max = 254) String email,
      @Size(max = 1024) String password,
      @JsonProperty("first_name") String firstName,
      @JsonProperty("last_name") String lastName,
      String role,
      List<String> permissions,
      @JsonProperty("is_active") Boolean active) {}

  @GetMapping({"/api/tenants/users/", "/api/tenants/users"})
  @Operation(summary = "List the current tenant's users")
  public Mono<MultiTenantResponse<Results<Object>>> list(
      @RequestHeader(value = DOMAIN, required = false) String domain) {
    return callers
        .resolve(domain)
        .flatMapMany(users::all)
        .map(UserViews::tenantUser)
        .collectList()
        .map(MultiTenantResponse::results);
  }

  @PostMapping({"/api/tenants/users/", "/api/tenants/users"})
  @ResponseStatus(HttpStatus.CREATED)
  @Operation(summary = "Create a user (admin); role admin, operator, viewer or user (default)")
  public Mono<MultiTenantResponse<Object>> create(
      @Valid @RequestBody CreateRequest request,
      @RequestHeader(value = DOMAIN, required = false) String domain) {
    return callers
        .resolve(domain)
        .flatMap(
            caller ->
                users.create(
                    caller,
                    new UserInput(
                        request.username(),
                        request.email(),
                        request.password(),
                        null,
                        request.firstName(),
                        request.lastName(),
                        request.role(),
                        request.permissions(),
                        null)))
        .map(user -> MultiTenantResponse.success("Success", UserViews.tenantUser(user)));
  }

  @GetMapping({"/api/tenants/users/{id}/", "/api/tenants/users/{id}"})
  @Operation(summary = "One user of the current tenant")
  public Mono<MultiTenantResponse<Object>> get(
      @PathVariable long id, @RequestHeader(value = DOMAIN, required = false) String domain) {
    return callers
        .resolve(domain)
        .flatMap(caller -> users.find(caller, id))
        .map(user -> MultiTenantResponse.success("Success", UserViews.tenantUser(user)));
  }

  @PutMapping({"/api/tenants/users/{id}/", "/api/tenants/users/{id}"})
  @Operation(summary = "Update a user (admin, or yourself without role/permission changes)")
  public Mono<MultiTenantResponse<Object>> update(
      @PathVariable long id,
      @Valid @RequestBody UpdateRequest request,
      @RequestHeader(value = DOMAIN, required = false) String domain) {
    return callers
        .resolve(domain)
        .flatMap(
            caller ->
                users.update(
                    caller,
                    id,
                    new UserInput(
                        request.username(),
                        request.email(),
                        request.password(),
                        null,
                        request.firstName(),
                        request.lastName(),
                        request.role(),
                        request.permissions(),
                        request.active())))
        .map(user -> MultiTenantResponse.success("Success", UserViews.tenantUser(user)));
  }

  @DeleteMapping({"/api/tenants/users/{id}/", "/api/tenants/users/{id}"})
  @Operation(summary = "Delete a user (admin)")
  public Mono<MultiTenantResponse<Object>> delete(
      @PathVariable long id, @RequestHeader(value = DOMAIN, required = false) String domain) {
    return callers
        .resolve(domain)
        .flatMap(caller -> users.delete(caller, id))
        .thenReturn(MultiTenantResponse.success("User deleted", null));
  }
}
