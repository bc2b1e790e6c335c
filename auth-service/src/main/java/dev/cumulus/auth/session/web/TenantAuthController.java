package dev.cumulus.auth.session.web;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.cumulus.auth.session.application.SessionService;
import dev.cumulus.auth.user.web.UserViews;
import dev.cumulus.platform.web.envelope.MultiTenantResponse;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** Seed 003 (multi-tenant): log in with username, password and tenant domain. */
@RestController
@Tag(name = "Multi-tenant (seed 003)", description = "Tenant login, users, organizations, audit")
public class TenantAuthController {

  private final SessionService sessions;

  public TenantAuthController(SessionService sessions) {
    this.sessions = sessions;
  }

  public record TenantLoginRequest(
      @NotBlank @Size(max = 150) String username,
      @NotBlank @Size(max = 1024) String password,
      @JsonProperty("tenant_domain") @NotBlank @Size(max = 253) String tenantDomain) {}

  @PostMapping({"/api/tenants/auth/", "/api/tenants/auth"})
  @Operation(summary = "Log in to a tenant; answers a token and the user")
  public Mono<MultiTenantResponse<Object>> login(@Valid @RequestBody TenantLoginRequest request) {
    return sessions
        .loginByUsername(request.username(), request.password(), request.tenantDomain())
        .map(
            session -> {
              Map<String, Object> data = new LinkedHashMap<>();
              data.put("token", session.accessToken().token());
              data.put("user", UserViews.tenantLoginUser(session.user()));
              return MultiTenantResponse.success("Login successful", data);
            });
  }
}
