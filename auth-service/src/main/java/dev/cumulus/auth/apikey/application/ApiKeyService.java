package dev.cumulus.auth.apikey.application;

import dev.cumulus.auth.apikey.domain.ApiKey;
import dev.cumulus.auth.apikey.domain.ApiKeyFormat;
import dev.cumulus.auth.apikey.persistence.ApiKeyRepository;
import dev.cumulus.auth.audit.application.AuditLog;
import dev.cumulus.auth.audit.domain.AuditAction;
import dev.cumulus.auth.common.application.Caller;
import dev.cumulus.auth.common.application.InstanceDirectory;
import dev.cumulus.auth.common.application.TokenRevocations;
import dev.cumulus.auth.common.domain.Actor;
import dev.cumulus.auth.config.AuthProperties;
import dev.cumulus.auth.keys.application.TokenIssuer;
import dev.cumulus.auth.keys.domain.IssuedToken;
import dev.cumulus.auth.quota.application.QuotaService;
import dev.cumulus.auth.session.domain.Secrets;
import dev.cumulus.auth.tenant.application.TenantService;
import dev.cumulus.auth.user.domain.UserRules;
import dev.cumulus.platform.error.ApiException;
import dev.cumulus.platform.security.CumulusClaims;
import dev.cumulus.platform.security.CumulusPrincipal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** API keys: created and revoked by tenant administrators, exchanged for short-lived tokens. */
@Service
public class ApiKeyService {

  private static final List<String> DEFAULT_SCOPES = List.of("read", "write");

  private final ApiKeyRepository keys;
  private final InstanceDirectory instances;
  private final TenantService tenants;
  private final TokenIssuer issuer;
  private final AuditLog audit;
  private final TokenRevocations revocations;
  private final QuotaService quotas;
  private final TransactionalOperator tx;
  private final AuthProperties properties;

  public ApiKeyService(
      ApiKeyRepository keys,
      InstanceDirectory instances,
      TenantService tenants,
      TokenIssuer issuer,
      AuditLog audit,
      TokenRevocations revocations,
      QuotaService quotas,
      TransactionalOperator tx,
      AuthProperties properties) {
    this.keys = keys;
    this.instances = instances;
    this.tenants = tenants;
    this.issuer = issuer;
    this.audit = audit;
    this.revocations = revocations;
    this.quotas = quotas;
    this.properties = properties;
    this.tx = tx;
  }

  /** A key just created: the only moment its secret is known. */
  public record CreatedKey(ApiKey key, String secret) {}

  public Mono<CreatedKey> create(
      Caller caller, String name, List<String> scopes, UUID serviceId, Instant expiresAt) {
    caller.requireTenantAdmin();
    String cleanName = UserRules.text("name", name, 100);
    if (cleanName == null || cleanName.isEmpty()) {
      throw UserRules.invalid("name", "must not be blank");
    }
    List<String> cleanScopes = scopes(scopes);
    if (cleanScopes.contains("*")
        && caller.tenantId().equals(properties.admin().tenant())
        && !caller.platformAdmin()) {
      // A '*' key of the platform tenant acts as a platform administrator.
      throw ApiException.forbidden("Only a platform administrator may create this key");
    }
    if (expiresAt != null && !expiresAt.isAfter(Instant.now())) {
      throw UserRules.invalid("expiresAt", "must be in the future");
    }
    Mono<Void> serviceCheck =
        serviceId == null
            ? Mono.empty()
            : instances
                .findInTenant(caller.tenantId(), serviceId)
                .switchIfEmpty(
                    Mono.error(() -> ApiException.notFound("No service instance " + serviceId)))
                .then();
    return tx.transactional(
        serviceCheck
            .then(quotas.requireRoomFor(caller.tenantId(), QuotaService.Counted.API_KEYS))
            .then(
                insert(
                    caller.tenantId(),
                    cleanName,
                    cleanScopes,
                    serviceId,
                    expiresAt,
                    caller.actor())));
  }

  /** The key returned once by {@code POST /api/services}; call in that transaction. */
  public Mono<CreatedKey> createForInstance(
      String tenantId, UUID serviceId, String serviceName, Actor actor) {
    return insert(tenantId, "service " + serviceName, DEFAULT_SCOPES, serviceId, null, actor);
  }

  /** Revokes every key bound to an instance being deleted; call in that transaction. */
  public Mono<Long> revokeForInstance(UUID serviceId) {
    return keys.revokeForService(serviceId);
  }

  private Mono<CreatedKey> insert(
      String tenantId,
      String name,
      List<String> scopes,
      UUID serviceId,
      Instant expiresAt,
      Actor actor) {
    ApiKeyFormat.NewKey secret = ApiKeyFormat.generate();
    ApiKey key =
        new ApiKey(
            UUID.randomUUID(),
            tenantId,
            name,
            secret.prefix(),
            Secrets.sha256(secret.key()),
            scopes,
            serviceId,
            actor.username(),
            null,
            expiresAt,
            null);
    return keys.insert(key)
        .flatMap(
            saved ->
                audit
                    .record(
                        tenantId,
                        actor,
                        AuditAction.CREATE,
                        AuditLog.API_KEY,
                        saved.id().toString(),
                        describe(saved))
                    .thenReturn(new CreatedKey(saved, secret.key())));
  }

  public Flux<ApiKey> list(Caller caller) {
    caller.requireTenantAdmin();
    return keys.findActiveByTenant(caller.tenantId());
  }

  public Mono<Void> revoke(Caller caller, UUID id) {
    caller.requireTenantAdmin();
    Mono<Void> work =
        keys.findInTenant(caller.tenantId(), id)
            .filter(key -> key.revokedAt() == null)
            .switchIfEmpty(Mono.error(() -> ApiException.notFound("No API key " + id)))
            .flatMap(
                key ->
                    keys.revoke(id)
                        .then(revocations.revokeSubject("key:" + id))
                        .then(
                            audit.record(
                                key.tenantId(),
                                caller.actor(),
                                AuditAction.REVOKE,
                                AuditLog.API_KEY,
                                id.toString(),
                                describe(key))));
    return tx.transactional(work);
  }

  /**
   * Exchanges a key for an access token of at most {@code api-key-token-ttl}; 401 when the key is
   * malformed, unknown, revoked or expired.
   */
  public Mono<IssuedToken> exchange(String presented) {
    ApiException invalid = ApiException.unauthorized("Invalid API key");
    String prefix = ApiKeyFormat.prefixOf(presented).orElse(null);
    if (prefix == null) {
      return Mono.error(invalid);
    }
    Instant now = Instant.now();
    return keys.findByPrefix(prefix)
        .filter(key -> Secrets.sameHash(key.keyHash(), Secrets.sha256(presented.trim())))
        .filter(key -> key.usableAt(now))
        .flatMap(key -> tenants.findById(key.tenantId()).map(tenant -> token(key, tenant, now)))
        .switchIfEmpty(Mono.error(invalid));
  }

  private IssuedToken token(ApiKey key, dev.cumulus.auth.tenant.domain.Tenant tenant, Instant now) {
    boolean all = key.scopes().contains("*");
    List<String> roles = new ArrayList<>();
    roles.add(all ? CumulusClaims.ROLE_ADMIN : "user");
    if (all && tenant.id().equals(properties.admin().tenant())) {
      roles.add(CumulusClaims.ROLE_PLATFORM_ADMIN);
    }
    Duration ttl = properties.apiKeyTokenTtl();
    if (key.expiresAt() != null && key.expiresAt().isBefore(now.plus(ttl))) {
      ttl = Duration.between(now, key.expiresAt());
    }
    return issuer.issue(
        new CumulusPrincipal(
            "key:" + key.id(),
            tenant.id(),
            tenant.domain(),
            tenant.plan().id(),
            null,
            null,
            List.copyOf(roles),
            all ? List.of("*") : key.scopes(),
            key.id().toString(),
            key.scopes(),
            key.serviceId() == null ? null : key.serviceId().toString(),
            null),
        ttl);
  }

  private static List<String> scopes(List<String> requested) {
    if (requested == null || requested.isEmpty()) {
      return DEFAULT_SCOPES;
    }
    LinkedHashSet<String> clean = new LinkedHashSet<>();
    for (String scope : requested) {
      String s = scope == null ? "" : scope.trim().toLowerCase(java.util.Locale.ROOT);
      if (!ApiKey.KNOWN_SCOPES.contains(s)) {
        throw UserRules.invalid("scopes", "'" + s + "' is not one of read, write, *");
      }
      clean.add(s);
    }
    return List.copyOf(clean);
  }

  private static Map<String, Object> describe(ApiKey key) {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("name", key.name());
    fields.put("prefix", key.displayPrefix());
    fields.put("scopes", key.scopes());
    fields.put("service_id", key.serviceId() == null ? null : key.serviceId().toString());
    return fields;
  }
}
