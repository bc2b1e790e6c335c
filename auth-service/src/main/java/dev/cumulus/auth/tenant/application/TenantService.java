package dev.cumulus.auth.tenant.application;

import dev.cumulus.auth.audit.application.AuditLog;
import dev.cumulus.auth.audit.domain.AuditAction;
import dev.cumulus.auth.audit.domain.Changes;
import dev.cumulus.auth.common.application.Caller;
import dev.cumulus.auth.common.domain.Actor;
import dev.cumulus.auth.tenant.domain.Plan;
import dev.cumulus.auth.tenant.domain.Tenant;
import dev.cumulus.auth.tenant.persistence.TenantRepository;
import dev.cumulus.platform.db.SqlStates;
import dev.cumulus.platform.error.ApiException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Tenants and their plans: the platform administrator's API, and tenants made on demand. */
@Service
public class TenantService {

  private final TenantRepository tenants;
  private final AuditLog audit;
  private final TransactionalOperator tx;
  private final TenantEvents events;

  public TenantService(
      TenantRepository tenants, AuditLog audit, TransactionalOperator tx, TenantEvents events) {
    this.tenants = tenants;
    this.audit = audit;
    this.tx = tx;
    this.events = events;
  }

  /** What an administrator asks for; null fields take defaults (create) or stay (update). */
  public record TenantChange(String id, String domain, String name, String plan) {}

  public Mono<Tenant> create(Caller caller, TenantChange request) {
    caller.requirePlatformAdmin();
    String id = trimmed(request.id());
    if (!Tenant.validId(id)) {
      throw invalid("id", "must be 1-63 lower-case letters, digits or inner hyphens");
    }
    String domain = request.domain() == null ? id : normalisedDomain(request.domain());
    String name = request.name() == null || request.name().isBlank() ? id : request.name().trim();
    Plan plan = request.plan() == null ? Plan.FREE : plan(request.plan());
    Mono<Tenant> work =
        tenants
            .insertIfAbsent(id, domain, name, plan)
            .switchIfEmpty(
                Mono.error(
                    ApiException.conflict("A tenant with id " + id + " or that domain exists")))
            .flatMap(
                tenant ->
                    audit
                        .record(
                            tenant.id(),
                            caller.actor(),
                            AuditAction.CREATE,
                            AuditLog.TENANT,
                            tenant.id(),
                            snapshot(tenant))
                        .thenReturn(tenant));
    return tx.transactional(work);
  }

  public Flux<Tenant> list(Caller caller) {
    caller.requirePlatformAdmin();
    return tenants.findAll();
  }

  public Mono<Tenant> get(Caller caller, String id) {
    caller.requirePlatformAdmin();
    return tenants.findById(id).switchIfEmpty(Mono.error(notFound(id)));
  }

  public Mono<Tenant> update(Caller caller, String id, TenantChange request) {
    caller.requirePlatformAdmin();
    String domain = request.domain() == null ? null : normalisedDomain(request.domain());
    Plan plan = request.plan() == null ? null : plan(request.plan());
    if (request.name() != null && request.name().isBlank()) {
      throw invalid("name", "must not be blank");
    }
    Mono<Tenant> work =
        tenants
            .findById(id)
            .switchIfEmpty(Mono.error(notFound(id)))
            .flatMap(
                before -> {
                  Tenant after =
                      new Tenant(
                          before.id(),
                          domain == null ? before.domain() : domain,
                          request.name() == null ? before.name() : request.name().trim(),
                          plan == null ? before.plan() : plan,
                          before.createdAt(),
                          before.updatedAt());
                  Changes changes =
                      Changes.of()
                          .diff("domain", before.domain(), after.domain())
                          .diff("name", before.name(), after.name())
                          .diff("plan", before.plan().id(), after.plan().id());
                  if (changes.isEmpty()) {
                    return Mono.just(before);
                  }
                  return tenants
                      .update(after)
                      .flatMap(
                          saved ->
                              audit
                                  .record(
                                      saved.id(),
                                      caller.actor(),
                                      AuditAction.UPDATE,
                                      AuditLog.TENANT,
                                      saved.id(),
                                      changes.toMap())
                                  .then(
                                      saved.plan().id().equals(before.plan().id())
                                          ? Mono.empty()
                                          : events.planChanged(
                                              saved.id(), saved.plan().id(), before.plan().id()))
                                  .thenReturn(saved));
                })
            .onErrorMap(
                SqlStates::isUniqueViolation,
                e -> ApiException.conflict("Another tenant already uses that domain"));
    return tx.transactional(work);
  }

  /**
   * The tenant with this id, created (and audited) when missing. Call inside the caller's
   * transaction. Concurrent callers are safe: the insert is a no-op for all but one.
   */
  public Mono<Tenant> ensure(String id, String domain, String name, Plan plan, Actor actor) {
    return tenants
        .insertIfAbsent(id, domain, name, plan)
        .flatMap(
            created ->
                audit
                    .record(
                        created.id(),
                        actor,
                        AuditAction.CREATE,
                        AuditLog.TENANT,
                        created.id(),
                        snapshot(created))
                    .thenReturn(created))
        .switchIfEmpty(Mono.defer(() -> tenants.findById(id)))
        .switchIfEmpty(
            Mono.error(() -> ApiException.conflict("Tenant domain " + domain + " is taken")));
  }

  public Mono<Tenant> findById(String id) {
    return tenants.findById(id);
  }

  public Mono<Tenant> findByDomain(String domain) {
    return tenants.findByDomain(domain == null ? "" : domain.trim().toLowerCase(Locale.ROOT));
  }

  private static Map<String, Object> snapshot(Tenant tenant) {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("id", tenant.id());
    fields.put("domain", tenant.domain());
    fields.put("name", tenant.name());
    fields.put("plan", tenant.plan().id());
    return fields;
  }

  private static String normalisedDomain(String domain) {
    String value = domain.trim().toLowerCase(Locale.ROOT);
    if (!Tenant.validDomain(value)) {
      throw invalid("domain", "must be a host name such as acme or acme.example.com");
    }
    return value;
  }

  private static Plan plan(String value) {
    return Plan.parse(value)
        .orElseThrow(() -> invalid("plan", "must be one of free, pro, enterprise"));
  }

  private static String trimmed(String value) {
    return value == null ? null : value.trim();
  }

  private static ApiException invalid(String field, String problem) {
    return ApiException.validation(field + " " + problem, Map.of(field, List.of(problem)));
  }

  private static ApiException notFound(String id) {
    return ApiException.notFound("No tenant " + id);
  }
}
