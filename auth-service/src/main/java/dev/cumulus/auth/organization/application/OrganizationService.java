package dev.cumulus.auth.organization.application;

import dev.cumulus.auth.audit.application.AuditLog;
import dev.cumulus.auth.audit.domain.AuditAction;
import dev.cumulus.auth.audit.domain.Changes;
import dev.cumulus.auth.common.application.Caller;
import dev.cumulus.auth.organization.domain.Organization;
import dev.cumulus.auth.organization.persistence.OrganizationRepository;
import dev.cumulus.auth.user.domain.UserRules;
import dev.cumulus.platform.error.ApiException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Seed 003 organizations: members read them, administrators create, change and delete them. */
@Service
public class OrganizationService {

  private final OrganizationRepository organizations;
  private final AuditLog audit;
  private final TransactionalOperator tx;

  public OrganizationService(
      OrganizationRepository organizations, AuditLog audit, TransactionalOperator tx) {
    this.organizations = organizations;
    this.audit = audit;
    this.tx = tx;
  }

  public Mono<Organization> create(Caller caller, String name, String description) {
    caller.requireTenantAdmin();
    String cleanName = name(name);
    String cleanDescription = description(description);
    Mono<Organization> work =
        organizations
            .insert(
                UUID.randomUUID(), caller.tenantId(), cleanName, cleanDescription, caller.actor())
            .flatMap(
                org ->
                    audit
                        .record(
                            org.tenantId(),
                            caller.actor(),
                            AuditAction.CREATE,
                            AuditLog.ORGANIZATION,
                            org.id().toString(),
                            snapshot(org))
                        .thenReturn(org));
    return tx.transactional(work);
  }

  public Flux<Organization> list(Caller caller) {
    return organizations.findByTenant(caller.tenantId());
  }

  public Mono<Organization> get(Caller caller, UUID id) {
    return organizations
        .findInTenant(caller.tenantId(), id)
        .switchIfEmpty(
            Mono.error(() -> ApiException.notFound("Organization " + id + " not found")));
  }

  /** Null fields stay as they are. */
  public Mono<Organization> update(Caller caller, UUID id, String name, String description) {
    caller.requireTenantAdmin();
    String newName = name == null ? null : name(name);
    String newDescription = description == null ? null : description(description);
    Mono<Organization> work =
        get(caller, id)
            .flatMap(
                before -> {
                  Organization after =
                      new Organization(
                          before.id(),
                          before.tenantId(),
                          newName == null ? before.name() : newName,
                          newDescription == null ? before.description() : newDescription,
                          before.createdBy(),
                          before.createdAt(),
                          before.updatedAt());
                  Changes changes =
                      Changes.of()
                          .diff("name", before.name(), after.name())
                          .diff("description", before.description(), after.description());
                  if (changes.isEmpty()) {
                    return Mono.just(before);
                  }
                  return organizations
                      .update(after)
                      .flatMap(
                          saved ->
                              audit
                                  .record(
                                      saved.tenantId(),
                                      caller.actor(),
                                      AuditAction.UPDATE,
                                      AuditLog.ORGANIZATION,
                                      saved.id().toString(),
                                      changes.toMap())
                                  .thenReturn(saved));
                });
    return tx.transactional(work);
  }

  public Mono<Void> delete(Caller caller, UUID id) {
    caller.requireTenantAdmin();
    Mono<Void> work =
        get(caller, id)
            .flatMap(
                org ->
                    organizations
                        .delete(org.tenantId(), id)
                        .then(
                            audit.record(
                                org.tenantId(),
                                caller.actor(),
                                AuditAction.DELETE,
                                AuditLog.ORGANIZATION,
                                id.toString(),
                                snapshot(org))));
    return tx.transactional(work);
  }

  private static String name(String value) {
    String v = UserRules.text("name", value, 200);
    if (v == null || v.isEmpty()) {
      throw UserRules.invalid("name", "must not be blank");
    }
    return v;
  }

  private static String description(String value) {
    String v = UserRules.text("description", value, 2000);
    return v == null ? "" : v;
  }

  private static Map<String, Object> snapshot(Organization org) {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("name", org.name());
    fields.put("description", org.description());
    return fields;
  }
}
