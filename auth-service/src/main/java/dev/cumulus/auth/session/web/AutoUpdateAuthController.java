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
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/** Seed 002 (Docker Auto-Update): login, refresh, logout and the caller's profile. */
@RestController
@RequestMapping("/api/auth")
@Tag(name = "Auto-Update auth (seed 002)", description = "Login, refresh, logout, profile")
public class AutoUpdateAuthController {

  private final SessionService sessions;
  private final UserService users;
  private final CallerResolver callers;
  private final RefreshCookie cookie;

  public AutoUpdateAuthController(
      SessionService sessions, UserService users, CallerResolver callers, RefreshCookie cookie) {
    this.sessions = sessions;
    this.users = users;
    this.callers = callers;
    this.cookie = cookie;
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
              + " within 15 minutes (per account or per IP) answer 429 with Retry-After. With"
              + " X-Cumulus-Client: console the refresh token is set as an HttpOnly cookie for"
              + " /api/auth/refresh instead of being returned.")
  public Mono<AutoUpdateResponse<Object>> login(
      @Valid @RequestBody LoginRequest request,
      @RequestHeader(value = "X-Tenant-Domain", required = false) String tenantDomain,
      ServerWebExchange exchange) {
    return sessions
        .loginByEmail(request.email(), request.password(), tenantDomain, true)
        .flatMap(
            session -> {
              Map<String, Object> data = tokens(session, exchange);
              data.put("user", UserViews.loginUser(session.user()));
              return AutoUpdateResponse.of("Login successful", data);
            });
  }

  @PostMapping("/refresh")
  @Operation(
      summary = "Exchange a refresh token for a new access token and a new refresh token",
      description =
          "A refresh token works once; presenting a used one revokes the session. Without a body,"
              + " the console's cookie is read (X-Cumulus-Client: console, same origin only) and"
              + " the new refresh token set in its place.")
  public Mono<AutoUpdateResponse<Object>> refresh(
      @Valid @RequestBody(required = false) RefreshRequest request, ServerWebExchange exchange) {
    boolean fromCookie = request == null;
    String presented = fromCookie ? cookie.read(exchange) : request.refreshToken();
    Mono<Session> refreshed =
        presented.length() > 512
            ? Mono.error(ApiException.unauthorized("Invalid refresh token"))
            : sessions.refresh(presented);
    return refreshed
        // A cookie that no longer works is dropped, so the console stops presenting it.
        .doOnError(ApiException.class, e -> forgetCookie(fromCookie, exchange))
        .flatMap(
            session ->
                AutoUpdateResponse.of("Token refreshed successfully", tokens(session, exchange)));
  }

  @PostMapping("/logout")
  @Operation(summary = "End the session: its refresh token stops working (and its cookie goes)")
  public Mono<AutoUpdateResponse<Object>> logout(ServerWebExchange exchange) {
    return callers
        .resolve()
        .flatMap(sessions::logout)
        .doOnSuccess(done -> cookie.clear(exchange))
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

  private void forgetCookie(boolean fromCookie, ServerWebExchange exchange) {
    if (fromCookie) {
      cookie.clear(exchange);
    }
  }

  /** The tokens of the answer; the console's refresh token goes into its cookie instead. */
  private Map<String, Object> tokens(Session session, ServerWebExchange exchange) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("access_token", session.accessToken().token());
    if (cookie.wanted(exchange.getRequest())) {
      cookie.set(exchange, session.refreshToken());
    } else {
      data.put("refresh_token", session.refreshToken());
    }
    data.put("expires_in", session.accessToken().expiresInSeconds());
    data.put("token_type", "Bearer");
    return data;
  }
}
