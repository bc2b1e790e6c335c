package dev.cumulus.auth.user.web;

import dev.cumulus.auth.common.application.CallerResolver;
import dev.cumulus.auth.user.application.UserService;
import dev.cumulus.auth.user.application.UserService.UserInput;
import dev.cumulus.platform.error.ApiException;
import dev.cumulus.platform.web.envelope.AutoUpdateResponse;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** Seed 002: the tenant administrator lists and creates users. */
@RestController
@RequestMapping("/api/users")
@Tag(name = "Auto-Update users (seed 002)", description = "List and create users (admin)")
public class AutoUpdateUserController {

  private static final int MAX_LIMIT = 100;

  private final UserService users;
  private final CallerResolver callers;

  public AutoUpdateUserController(UserService users, CallerResolver callers) {
    this.users = users;
    this.callers = callers;
  }

  public record CreateUserRequest(
      @NotBlank @Size(max = 254) String email,
      @Size(max = 150) String name,
      @NotBlank @Size(max = 1024) String password,
      String role,
      List<String> permissions) {}

  @GetMapping
  @Operation(summary = "List the tenant's users (admin), page/limit paginated")
  public Mono<AutoUpdateResponse<Object>> list(
      @RequestParam(defaultValue = "1") int page,
      @RequestParam(defaultValue = "20") int limit,
      @RequestHeader(value = "X-Tenant-Domain", required = false) String tenantDomain) {
    if (page < 1 || limit < 1) {
      return Mono.error(ApiException.badRequest("page and limit must be at least 1"));
    }
    int size = Math.min(limit, MAX_LIMIT);
    return callers
        .resolve(tenantDomain)
        .map(caller -> caller.requireTenantAdmin())
        .flatMap(caller -> users.list(caller, (page - 1) * size, size))
        .flatMap(
            result -> {
              long pages = (result.total() + size - 1) / size;
              Map<String, Object> pagination = new LinkedHashMap<>();
              pagination.put("page", page);
              pagination.put("limit", size);
              pagination.put("total", result.total());
              pagination.put("pages", pages);
              pagination.put("has_next", page < pages);
              pagination.put("has_prev", page > 1);
              Map<String, Object> data = new LinkedHashMap<>();
              data.put("items", result.users().stream().map(UserViews::listItem).toList());
              data.put("pagination", pagination);
              return AutoUpdateResponse.of("Data retrieved successfully", data);
            });
  }

  @PostMapping
  @ResponseStatus(HttpStatus.CREATED)
  @Operation(
      summary = "Create a user (admin)",
      description =
          "role: admin, operator, viewer or user (default). Without permissions the role's defaults"
              + " apply. The e-mail address is also the username (seed 003 logins).")
  public Mono<AutoUpdateResponse<Object>> create(
      @Valid @RequestBody CreateUserRequest request,
      @RequestHeader(value = "X-Tenant-Domain", required = false) String tenantDomain) {
    return callers
        .resolve(tenantDomain)
        .flatMap(
            caller ->
                users.create(
                    caller,
                    new UserInput(
                        null,
                        request.email(),
                        request.password(),
                        request.name(),
                        null,
                        null,
                        request.role(),
                        request.permissions(),
                        null)))
        .flatMap(
            user -> AutoUpdateResponse.of("User created successfully", UserViews.listItem(user)));
  }
}
