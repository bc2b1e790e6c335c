package dev.cumulus.auth.user.application;

import dev.cumulus.auth.audit.application.AuditLog;
import dev.cumulus.auth.audit.domain.AuditAction;
import dev.cumulus.auth.audit.domain.Changes;
import dev.cumulus.auth.common.application.Caller;
import dev.cumulus.auth.common.application.TokenRevocations;
import dev.cumulus.auth.common.domain.Actor;
import dev.cumulus.auth.user.domain.Role;
import dev.cumulus.auth.user.domain.User;
import dev.cumulus.auth.user.domain.UserRules;
import dev.cumulus.auth.user.persistence.UserRepository;
import dev.cumulus.auth.user.persistence.UserRepository.NewUser;
import dev.cumulus.platform.db.SqlStates;
import dev.cumulus.platform.error.ApiException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Users of a tenant: created and managed by the tenant's administrators (seeds 002 and 003). */
@Service
public class UserService {

  private static final int MAX_NAME = 150;

  private final UserRepository users;
  private final UserSessions sessions;
  private final TokenRevocations revocations;
  private final PasswordHasher hasher;
  private final AuditLog audit;
  private final TransactionalOperator tx;

  public UserService(
      UserRepository users,
      UserSessions sessions,
      TokenRevocations revocations,
      PasswordHasher hasher,
      AuditLog audit,
      TransactionalOperator tx) {
    this.users = users;
    this.sessions = sessions;
    this.revocations = revocations;
    this.hasher = hasher;
    this.audit = audit;
    this.tx = tx;
  }

  /**
   * Fields of a create or update request; on update a null field stays as it is.
   *
   * @param username null on create: the e-mail address is the username (seed 002 has none)
   */
  public record UserInput(
      String username,
      String email,
      String password,
      String name,
      String firstName,
      String lastName,
      String role,
      List<String> permissions,
      Boolean active) {}

  public Mono<User> create(Caller caller, UserInput input) {
    caller.requireTenantAdmin();
    String email = UserRules.email(input.email());
    String password = UserRules.password(input.password());
    Role role = UserRules.role(input.role(), Role.USER);
    List<String> permissions = UserRules.permissions(input.permissions(), role);
    String name = UserRules.text("name", input.name(), MAX_NAME);
    String firstName = UserRules.text("first_name", input.firstName(), MAX_NAME);
    String lastName = UserRules.text("last_name", input.lastName(), MAX_NAME);
    Mono<String> username =
        input.username() != null
            ? Mono.just(UserRules.username(input.username()))
            // Seed 002 has no usernames: the whole address, never its local part, so a short
            // name (say "newuser") stays free for a seed-003 client of the same tenant.
            : Mono.just(email);
    Mono<User> work =
        Mono.zip(username, hasher.hash(password))
            .flatMap(
                t ->
                    users.insert(
                        new NewUser(
                            caller.tenantId(),
                            t.getT1(),
                            email,
                            name,
                            firstName,
                            lastName,
                            t.getT2(),
                            role,
                            false,
                            permissions)))
            .flatMap(
                user ->
                    audit
                        .record(
                            user.tenantId(),
                            caller.actor(),
                            AuditAction.CREATE,
                            AuditLog.USER,
                            Long.toString(user.id()),
                            snapshot(user))
                        .thenReturn(user))
            .onErrorMap(SqlStates::isUniqueViolation, e -> duplicate());
    return tx.transactional(work);
  }

  /**
   * Administrators change anything; a user may change their own names, e-mail and password but not
   * their role, permissions or active flag.
   */
  public Mono<User> update(Caller caller, long id, UserInput input) {
    boolean self = Objects.equals(caller.userId(), id);
    if (!caller.tenantAdmin()
        && !(self
            && input.role() == null
            && input.permissions() == null
            && input.active() == null)) {
      return Mono.error(ApiException.forbidden("This operation needs the admin role"));
    }
    if (self && Boolean.FALSE.equals(input.active())) {
      return Mono.error(ApiException.badRequest("You cannot deactivate yourself"));
    }
    String email = input.email() == null ? null : UserRules.email(input.email());
    String username = input.username() == null ? null : UserRules.username(input.username());
    Role role = input.role() == null ? null : UserRules.role(input.role(), Role.USER);
    String name = UserRules.text("name", input.name(), MAX_NAME);
    String firstName = UserRules.text("first_name", input.firstName(), MAX_NAME);
    String lastName = UserRules.text("last_name", input.lastName(), MAX_NAME);
    Mono<String> newHash =
        input.password() == null
            ? Mono.just("")
            : hasher.hash(UserRules.password(input.password()));
    Mono<User> work =
        Mono.zip(find(caller, id), newHash)
            .flatMap(
                t -> {
                  User before = t.getT1();
                  guardPlatformAdmin(caller, before, self);
                  String hash = t.getT2().isEmpty() ? before.passwordHash() : t.getT2();
                  Role newRole = role == null ? before.role() : role;
                  List<String> permissions =
                      input.permissions() != null
                          ? UserRules.permissions(input.permissions(), newRole)
                          : role != null && role != before.role()
                              ? newRole.defaultPermissions()
                              : before.permissions();
                  User after =
                      new User(
                          before.id(),
                          before.tenantId(),
                          or(username, before.username()),
                          or(email, before.email()),
                          or(name, before.name()),
                          or(firstName, before.firstName()),
                          or(lastName, before.lastName()),
                          hash,
                          newRole,
                          before.platformAdmin(),
                          permissions,
                          before.preferences(),
                          input.active() == null ? before.active() : input.active(),
                          before.lastLogin(),
                          before.createdAt(),
                          before.updatedAt());
                  return save(caller.actor(), before, after);
                })
            .onErrorMap(SqlStates::isUniqueViolation, e -> duplicate());
    return tx.transactional(work);
  }

  public Mono<Void> delete(Caller caller, long id) {
    caller.requireTenantAdmin();
    if (Objects.equals(caller.userId(), id)) {
      return Mono.error(ApiException.badRequest("You cannot delete yourself"));
    }
    Mono<Void> work =
        find(caller, id)
            .doOnNext(user -> guardPlatformAdmin(caller, user, false))
            .flatMap(
                user ->
                    users
                        .delete(caller.tenantId(), id)
                        .then(revocations.revokeSubject(Long.toString(id)))
                        .then(
                            audit.record(
                                user.tenantId(),
                                caller.actor(),
                                AuditAction.DELETE,
                                AuditLog.USER,
                                Long.toString(id),
                                snapshot(user))));
    return tx.transactional(work);
  }

  /** A user of the caller's tenant; 404 for unknown ids and other tenants' users alike. */
  public Mono<User> find(Caller caller, long id) {
    return users
        .findInTenant(caller.tenantId(), id)
        .switchIfEmpty(Mono.error(() -> ApiException.notFound("User " + id + " not found")));
  }

  public record Page(List<User> users, long total) {}

  public Mono<Page> list(Caller caller, int offset, int limit) {
    return Mono.zip(
            users.findByTenant(caller.tenantId(), offset, limit).collectList(),
            users.countByTenant(caller.tenantId()))
        .map(t -> new Page(t.getT1(), t.getT2()));
  }

  public Flux<User> all(Caller caller) {
    return users.findByTenant(caller.tenantId(), 0, 10_000);
  }

  /** The caller's own user (tokens of API keys have none). */
  public Mono<User> profile(Caller caller) {
    Long id = caller.userId();
    if (id == null) {
      return Mono.error(ApiException.notFound("This token belongs to no user"));
    }
    return users
        .findInTenant(caller.principal().tenantId(), id)
        .switchIfEmpty(Mono.error(() -> ApiException.notFound("User not found")));
  }

  public Mono<User> updateProfile(Caller caller, String name, Map<String, Object> preferences) {
    String newName = UserRules.text("name", name, MAX_NAME);
    Mono<User> work =
        profile(caller)
            .flatMap(
                before -> {
                  User after =
                      new User(
                          before.id(),
                          before.tenantId(),
                          before.username(),
                          before.email(),
                          or(newName, before.name()),
                          before.firstName(),
                          before.lastName(),
                          before.passwordHash(),
                          before.role(),
                          before.platformAdmin(),
                          before.permissions(),
                          preferences == null ? before.preferences() : preferences,
                          before.active(),
                          before.lastLogin(),
                          before.createdAt(),
                          before.updatedAt());
                  return save(caller.actor(), before, after);
                });
    return tx.transactional(work);
  }

  /**
   * Seed 001's user: {@code username = user_id} in tenant {@code tenant-<user_id>}, the tenant's
   * administrator; created on first use, its name and e-mail kept current. Call in a transaction.
   */
  public Mono<User> ensureTenantOwner(
      String tenantId, String userId, String displayName, String email, Actor actor) {
    return users
        .findByUsername(tenantId, userId)
        .flatMap(
            existing -> {
              User after =
                  new User(
                      existing.id(),
                      existing.tenantId(),
                      existing.username(),
                      email == null ? existing.email() : email,
                      displayName == null ? existing.name() : displayName,
                      existing.firstName(),
                      existing.lastName(),
                      existing.passwordHash(),
                      existing.role(),
                      existing.platformAdmin(),
                      existing.permissions(),
                      existing.preferences(),
                      existing.active(),
                      existing.lastLogin(),
                      existing.createdAt(),
                      existing.updatedAt());
              return save(actor, existing, after);
            })
        .switchIfEmpty(
            Mono.defer(
                () ->
                    users
                        .insert(
                            new NewUser(
                                tenantId,
                                userId,
                                email,
                                displayName,
                                null,
                                null,
                                null,
                                Role.ADMIN,
                                false,
                                Role.ADMIN.defaultPermissions()))
                        .flatMap(
                            user ->
                                audit
                                    .record(
                                        tenantId,
                                        actor,
                                        AuditAction.CREATE,
                                        AuditLog.USER,
                                        Long.toString(user.id()),
                                        snapshot(user))
                                    .thenReturn(user))));
  }

  /**
   * An administrator of the platform tenant is not a platform administrator: they must not take
   * over one by changing its password or e-mail, nor delete one.
   */
  private static void guardPlatformAdmin(Caller caller, User target, boolean self) {
    if (target.platformAdmin() && !self && !caller.platformAdmin()) {
      throw ApiException.forbidden("Only a platform administrator may change this user");
    }
  }

  /** Writes the change and its audit entry; no-op when nothing changed. */
  private Mono<User> save(Actor actor, User before, User after) {
    Changes changes =
        Changes.of()
            .diff("username", before.username(), after.username())
            .diff("email", before.email(), after.email())
            .diff("name", before.name(), after.name())
            .diff("first_name", before.firstName(), after.firstName())
            .diff("last_name", before.lastName(), after.lastName())
            .diff("role", before.role().id(), after.role().id())
            .diff("permissions", before.permissions(), after.permissions())
            .diff("preferences", before.preferences(), after.preferences())
            .diff("is_active", before.active(), after.active())
            .redacted("password", !Objects.equals(before.passwordHash(), after.passwordHash()));
    if (changes.isEmpty()) {
      return Mono.just(before);
    }
    // A new password or a deactivation ends every session of the user; with a lost role or
    // permission, the tokens that carry them stop working too (a new login carries the new ones).
    boolean endSessions =
        !Objects.equals(before.passwordHash(), after.passwordHash())
            || (before.active() && !after.active());
    boolean revokeTokens =
        endSessions
            || before.role() != after.role()
            || !after.permissions().containsAll(before.permissions());
    Mono<Long> revoke =
        (endSessions ? sessions.endAll(before.id()) : Mono.just(0L))
            .flatMap(
                ended ->
                    revokeTokens
                        ? revocations.revokeSubject(Long.toString(before.id())).thenReturn(ended)
                        : Mono.just(ended));
    return users
        .update(after)
        .flatMap(
            saved ->
                revoke
                    .then(
                        audit.record(
                            saved.tenantId(),
                            actor,
                            AuditAction.UPDATE,
                            AuditLog.USER,
                            Long.toString(saved.id()),
                            changes.toMap()))
                    .thenReturn(saved));
  }

  public static Map<String, Object> snapshot(User user) {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("username", user.username());
    fields.put("email", user.email());
    fields.put("name", user.displayName());
    fields.put("role", user.role().id());
    fields.put("permissions", user.permissions());
    fields.put("is_active", user.active());
    return fields;
  }

  private static String or(String value, String fallback) {
    return value == null ? fallback : value;
  }

  private static ApiException duplicate() {
    return ApiException.conflict("A user with that username or e-mail already exists");
  }
}
