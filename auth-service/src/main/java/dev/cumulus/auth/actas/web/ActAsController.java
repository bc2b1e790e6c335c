package dev.cumulus.auth.actas.web;

import dev.cumulus.auth.actas.application.ActAsService;
import dev.cumulus.auth.actas.application.ActAsService.ActingToken;
import dev.cumulus.auth.common.application.CallerResolver;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * A platform administrator's access token for another tenant (DockSaaS envelope, camelCase, beside
 * the admin tenant API). docs/identity.md, "Acting on a tenant".
 */
@RestController
@Tag(name = "Admin: tenants", description = "Create, list and update tenants (platform admin)")
public class ActAsController {

  private final ActAsService actAs;
  private final CallerResolver callers;

  public ActAsController(ActAsService actAs, CallerResolver callers) {
    this.actAs = actAs;
    this.callers = callers;
  }

  public record ActingTokenView(
      String accessToken,
      String tokenType,
      long expiresIn,
      Instant expiresAt,
      String tenantId,
      String tenantDomain,
      String plan) {
    static ActingTokenView of(ActingToken acting) {
      return new ActingTokenView(
          acting.token().token(),
          "Bearer",
          acting.token().expiresInSeconds(),
          acting.token().expiresAt(),
          acting.tenant().id(),
          acting.tenant().domain(),
          acting.tenant().plan().id());
    }
  }

  @PostMapping("/api/admin/tenants/{id}/act-as")
  @Operation(
      summary =
          "A short-lived access token of the tenant for the calling platform admin"
              + " (tenant admin there, act claim names the admin; no refresh token)")
  public Mono<ActingTokenView> actAs(@PathVariable String id) {
    return callers.resolve().flatMap(caller -> actAs.actAs(caller, id)).map(ActingTokenView::of);
  }
}
