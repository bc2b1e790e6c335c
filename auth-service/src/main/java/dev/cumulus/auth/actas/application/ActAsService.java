package dev.cumulus.auth.actas.application;

import dev.cumulus.auth.audit.application.AuditLog;
import dev.cumulus.auth.audit.domain.AuditAction;
import dev.cumulus.auth.common.application.Caller;
import dev.cumulus.auth.config.AuthProperties;
import dev.cumulus.auth.keys.application.TokenIssuer;
import dev.cumulus.auth.keys.domain.IssuedToken;
import dev.cumulus.auth.tenant.application.TenantService;
import dev.cumulus.auth.tenant.domain.Tenant;
import dev.cumulus.auth.user.domain.Role;
import dev.cumulus.platform.error.ApiException;
import dev.cumulus.platform.security.CumulusPrincipal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;

/**
 * Token exchange for platform administrators (in the spirit of RFC 8693): a short-lived access
 * token of another tenant, so services that take the tenant from the token alone follow the
 * administrator there. Inside that tenant the token is a tenant administrator's, not a platform
 * administrator's; {@code act} names the administrator really acting. No refresh token: the console
 * asks again before it expires.
 */
@Service
public class ActAsService {

  /** RFC 8693 §4.1: the actor of a delegated token. */
  public static final String ACT_CLAIM = "act";

  private final TenantService tenants;
  private final TokenIssuer issuer;
  private final AuditLog audit;
  private final TransactionalOperator tx;
  private final AuthProperties properties;

  public ActAsService(
      TenantService tenants,
      TokenIssuer issuer,
      AuditLog audit,
      TransactionalOperator tx,
      AuthProperties properties) {
    this.tenants = tenants;
    this.issuer = issuer;
    this.audit = audit;
    this.tx = tx;
    this.properties = properties;
  }

  /** A token of the tenant {@code tenantId}, audited in that tenant and in the caller's own. */
  public Mono<ActingToken> actAs(Caller caller, String tenantId) {
    caller.requirePlatformAdmin();
    // A user's own sign-in only: an API key (or a token already acting) does not act further.
    if (caller.userId() == null) {
      throw ApiException.forbidden("Acting on a tenant needs a platform administrator's sign-in");
    }
    if (!Tenant.validId(tenantId)) {
      throw ApiException.validation(
          "tenant id must be 1-63 lower-case letters, digits or inner hyphens",
          Map.of("id", List.of("must be 1-63 lower-case letters, digits or inner hyphens")));
    }
    CumulusPrincipal admin = caller.principal();
    Mono<ActingToken> work =
        tenants
            .get(caller, tenantId)
            .flatMap(
                tenant -> {
                  IssuedToken token = issue(admin, tenant);
                  Map<String, Object> changes = new LinkedHashMap<>();
                  changes.put("actor", admin.username());
                  changes.put("actor_tenant", admin.tenantId());
                  changes.put("tenant", tenant.id());
                  changes.put("token", token.id());
                  changes.put("expires_at", token.expiresAt().toString());
                  Mono<Void> inTarget =
                      audit.record(
                          tenant.id(),
                          caller.actor(),
                          AuditAction.ACT_AS,
                          AuditLog.TENANT,
                          tenant.id(),
                          changes);
                  Mono<Void> inOwn =
                      tenant.id().equals(admin.tenantId())
                          ? Mono.empty()
                          : audit.record(
                              admin.tenantId(),
                              caller.actor(),
                              AuditAction.ACT_AS,
                              AuditLog.TENANT,
                              tenant.id(),
                              changes);
                  return inTarget.then(inOwn).thenReturn(new ActingToken(tenant, token));
                });
    return tx.transactional(work);
  }

  private IssuedToken issue(CumulusPrincipal admin, Tenant tenant) {
    CumulusPrincipal claims =
        new CumulusPrincipal(
            admin.subject(),
            tenant.id(),
            tenant.domain(),
            tenant.plan().id(),
            admin.username(),
            admin.email(),
            // A tenant administrator's powers there, never platform_admin's.
            List.of(Role.ADMIN.id()),
            Role.ADMIN.defaultPermissions(),
            null,
            null,
            null,
            // The admin's session: their logout ends this token too.
            admin.sessionId());
    Map<String, Object> act = new LinkedHashMap<>();
    act.put("sub", admin.subject());
    act.put("tenant_id", admin.tenantId());
    return issuer.issue(claims, properties.actAsTokenTtl(), Map.of(ACT_CLAIM, act));
  }

  /** The token and the tenant it acts on. */
  public record ActingToken(Tenant tenant, IssuedToken token) {}
}
