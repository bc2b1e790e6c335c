package dev.cumulus.auth.session.web;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.cumulus.auth.common.application.CallerResolver;
import dev.cumulus.auth.session.application.SessionService;
import dev.cumulus.auth.session.application.SessionService.Session;
import dev.cumulus.auth.user.application.UserService;
import dev.cumulus.auth.user.web.UserViews;
import dev.cumulus.platform.error.ApiException;
import dev.cumulus.platform.web.envelope.AutoUpdateResponse;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** Seed 002 (Docker Auto-Update): login, refresh, logout and the caller's profile. */
@RestController
@RequestMapping("/api/auth")
@Tag(name = "Auto-Update auth (seed 002)", description = "Login, refresh, logout, profile")
public class AutoUpdateAuthController {

  private final SessionService sessions;
  private final UserService users;
  private final CallerResolver callers;

  public AutoUpdateAuthController(
      SessionService sessions, UserService users, CallerResolver callers) {
    this.sessions = sessions;
    this.users = users;
    this.callers = callers;
  }

  public record LoginRequest(
      @NotBlank @Size(max = 254) String email, @NotBlank @Size(max = 1024) String password) {}

  public record RefreshRequest(@JsonProperty("refresh_token") @NotBlank String refreshToken) {}

  public record ProfileUpdate(@Size(max = 150) String name, Map<String, Object> preferences) {}

  @PostMapping("/login")
  @Operation(
      summary = "Log in with e-mail and password",
      description =
          "Send X-Tenant-Domain when the e-mail belongs to users of several tenants. Five failures"
              + " within 15 minutes (per account or per IP) answer 429 with Retry-After.")
  public Mono<AutoUpdateResponse<Object>> login(
      @Valid @RequestBody LoginRequest request,
      @RequestHeader(value = "X-Tenant-Domain", required = false) String tenantDomain) {
    return sessions
        .loginByEmail(request.email(), request.password(), tenantDomain, true)
        .flatMap(
            session -> {
              Map<String, Object> data = tokens(session);
              data.put("user", UserViews.loginUser(session.user()));
              return AutoUpdateResponse.of("Login successful", data);
            });
  }

  @PostMapping("/refresh")
  @Operation(
      summary = "Exchange a refresh token for a new access token and a new refresh token",
      description = "A refresh token works once; presenting a used one revokes the session.")
  public Mono<AutoUpdateResponse<Object>> refresh(@Valid @RequestBody RefreshRequest request) {
    if (request.refreshToken().length() > 512) {
      return Mono.error(ApiException.unauthorized("Invalid refresh token"));
    }
    return sessions
        .refresh(request.refreshToken())
        .flatMap(session -> AutoUpdateResponse.of("Token refreshed successfully", tokens(session)));
  }

  @PostMapping("/logout")
  @Operation(summary = "End the session: its refresh token stops working")
  public Mono<AutoUpdateResponse<Object>> logout() {
    return callers
        .resolve()
        .flatMap(sessions::logout)
        .then(AutoUpdateResponse.of("Logout successful", null));
  }

  @GetMapping("/profile")
  @Operation(summary = "The caller's profile")
  public Mono<AutoUpdateResponse<Object>> profile() {
    return callers
        .resolve()
        .flatMap(users::profile)
        .flatMap(
            user ->
                AutoUpdateResponse.of("Profile retrieved successfully", UserViews.profile(user)));
  }

  @PutMapping("/profile")
  @Operation(summary = "Update the caller's name and preferences")
  public Mono<AutoUpdateResponse<Object>> updateProfile(@Valid @RequestBody ProfileUpdate request) {
    return callers
        .resolve()
        .flatMap(caller -> users.updateProfile(caller, request.name(), request.preferences()))
        .flatMap(
            user -> AutoUpdateResponse.of("Profile updated successfully", UserViews.profile(user)));
  }

  private static Map<String, Object> tokens(Session session) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("access_token", session.accessToken().token());
    data.put("refresh_token", session.refreshToken());
    data.put("expires_in", session.accessToken().expiresInSeconds());
    data.put("token_type", "Bearer");
    return data;
  }
}
