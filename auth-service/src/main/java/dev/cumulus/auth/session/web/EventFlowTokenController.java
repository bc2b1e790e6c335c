package dev.cumulus.auth.session.web;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.cumulus.auth.common.application.CallerResolver;
import dev.cumulus.auth.common.domain.Actor;
import dev.cumulus.auth.config.AuthProperties;
import dev.cumulus.auth.session.application.SessionService;
import dev.cumulus.auth.user.domain.UserRules;
import dev.cumulus.platform.error.ApiException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Size;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * Seed 001 (EventFlow): {@code POST /auth/token}. Open to anyone only when {@code
 * cumulus.auth.open-token-endpoint=true} (the dev profile); otherwise the caller must present a
 * platform administrator's token (or an API key of the platform tenant, exchanged by the gateway).
 */
@RestController
@Tag(name = "EventFlow (seed 001)", description = "Token for a user and its namespace")
public class EventFlowTokenController {

  // tenant-<user_id> must stay a valid tenant id (a DNS label of at most 63 characters).
  private static final java.util.regex.Pattern USER_ID =
      java.util.regex.Pattern.compile("[a-z0-9]([a-z0-9-]{0,46}[a-z0-9])?");

  private final SessionService sessions;
  private final CallerResolver callers;
  private final AuthProperties properties;

  public EventFlowTokenController(
      SessionService sessions, CallerResolver callers, AuthProperties properties) {
    this.sessions = sessions;
    this.callers = callers;
    this.properties = properties;
  }

  public record TokenRequest(
      // Format checked in the handler, whose message says which format.
      @JsonProperty("user_id") String userId,
      @Size(max = 150) String username,
      @Size(max = 254) String email) {}

  public record TokenResponse(
      String token,
      @JsonProperty("user_id") String userId,
      String username,
      String email,
      String namespace) {}

  @PostMapping("/auth/token")
  @Operation(
      summary = "Issue a token for user_id, creating tenant tenant-<user_id> on first use",
      description =
          "Open in the dev profile; elsewhere it needs a platform administrator's bearer token.")
  public Mono<TokenResponse> token(@Valid @RequestBody TokenRequest request) {
    if (request.userId() == null || !USER_ID.matcher(request.userId()).matches()) {
      return Mono.error(
          UserRules.invalid("user_id", "must be 1-48 lower-case letters, digits or inner hyphens"));
    }
    String email = request.email() == null ? null : UserRules.email(request.email());
    return authorisedActor()
        .flatMap(
            actor -> sessions.tenantOwnerToken(request.userId(), request.username(), email, actor))
        .map(
            session ->
                new TokenResponse(
                    session.accessToken().token(),
                    request.userId(),
                    request.username() != null ? request.username() : session.user().displayName(),
                    session.user().email(),
                    session.tenant().id()));
  }

  private Mono<Actor> authorisedActor() {
    if (properties.openTokenEndpoint()) {
      // Open: anyone may ask; the audit trail still names a caller who sent a token.
      return callers
          .resolve()
          .map(caller -> caller.actor())
          .onErrorResume(e -> Mono.just(new Actor(null, "anonymous")));
    }
    return callers
        .resolve()
        .onErrorMap(
            e -> !(e instanceof ApiException),
            e -> ApiException.unauthorized("A platform administrator's token is required"))
        .map(caller -> caller.requirePlatformAdmin().actor());
  }
}
