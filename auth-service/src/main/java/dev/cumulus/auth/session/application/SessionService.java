package dev.cumulus.auth.session.application;

import dev.cumulus.auth.audit.application.AuditLog;
import dev.cumulus.auth.audit.domain.AuditAction;
import dev.cumulus.auth.common.application.Caller;
import dev.cumulus.auth.common.application.ClientIp;
import dev.cumulus.auth.common.application.TokenRevocations;
import dev.cumulus.auth.common.domain.Actor;
import dev.cumulus.auth.config.AuthProperties;
import dev.cumulus.auth.keys.application.TokenIssuer;
import dev.cumulus.auth.keys.domain.IssuedToken;
import dev.cumulus.auth.session.application.BruteForceGuard.Attempt;
import dev.cumulus.auth.session.domain.RefreshToken;
import dev.cumulus.auth.session.domain.Secrets;
import dev.cumulus.auth.session.persistence.RefreshTokenRepository;
import dev.cumulus.auth.tenant.application.TenantService;
import dev.cumulus.auth.tenant.domain.Plan;
import dev.cumulus.auth.tenant.domain.Tenant;
import dev.cumulus.auth.user.application.PasswordHasher;
import dev.cumulus.auth.user.application.UserAccounts;
import dev.cumulus.auth.user.application.UserService;
import dev.cumulus.auth.user.domain.User;
import dev.cumulus.platform.error.ApiException;
import dev.cumulus.platform.security.CumulusPrincipal;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Logins (seeds 002 and 003), refresh-token rotation, logout, and seed 001's token endpoint. Every
 * successful login, refresh and logout is audited in the same transaction as its writes.
 */
@Service
public class SessionService {

  private static final Logger log = LoggerFactory.getLogger(SessionService.class);

  /** An e-mail may belong to users of several tenants; more candidates than this are refused. */
  private static final int MAX_EMAIL_CANDIDATES = 5;

  private static final int REFRESH_TOKEN_BYTES = 32;

  private final UserAccounts users;
  private final UserService userService;
  private final TenantService tenants;
  private final RefreshTokenRepository refreshTokens;
  private final PasswordHasher hasher;
  private final BruteForceGuard guard;
  private final TokenRevocations ends;
  private final TokenIssuer issuer;
  private final AuditLog audit;
  private final TransactionalOperator tx;
  private final AuthProperties properties;

  public SessionService(
      UserAccounts users,
      UserService userService,
      TenantService tenants,
      RefreshTokenRepository refreshTokens,
      PasswordHasher hasher,
      BruteForceGuard guard,
      TokenRevocations ends,
      TokenIssuer issuer,
      AuditLog audit,
      TransactionalOperator tx,
      AuthProperties properties) {
    this.users = users;
    this.userService = userService;
    this.tenants = tenants;
    this.refreshTokens = refreshTokens;
    this.hasher = hasher;
    this.guard = guard;
    this.ends = ends;
    this.issuer = issuer;
    this.audit = audit;
    this.tx = tx;
    this.properties = properties;
  }

  /**
   * A logged-in session.
   *
   * @param refreshToken the opaque refresh token, or null when the flow has none (seeds 001, 003)
   */
  public record Session(User user, Tenant tenant, IssuedToken accessToken, String refreshToken) {}

  /** Seed 002: e-mail and password; {@code tenantDomain} picks the tenant when several match. */
  public Mono<Session> loginByEmail(
      String email, String password, String tenantDomain, boolean withRefreshToken) {
    String normalised = email.trim().toLowerCase(Locale.ROOT);
    // One spelling per tenant: the failure counter's scope must not change with the header's case.
    String domain =
        tenantDomain == null || tenantDomain.isBlank()
            ? null
            : tenantDomain.trim().toLowerCase(Locale.ROOT);
    // With a tenant domain, that tenant's user; without, every tenant's, oldest first: more than
    // MAX_EMAIL_CANDIDATES is refused (send X-Tenant-Domain), never cut off silently, so no number
    // of other users with the same e-mail can push a user out of their login.
    Flux<User> found =
        domain == null
            ? users.findByEmail(normalised, MAX_EMAIL_CANDIDATES + 1)
            : tenants
                .findByDomain(domain)
                .flatMapMany(tenant -> users.findByEmailInTenant(tenant.id(), normalised));
    Mono<List<User>> candidates =
        found
            .collectList()
            .flatMap(
                all ->
                    all.size() > MAX_EMAIL_CANDIDATES
                        ? Mono.error(SessionService::chooseTenant)
                        : Mono.just(all.stream().filter(User::active).toList()));
    return login(
        domain == null ? "email" : "email@" + domain,
        normalised,
        password,
        candidates,
        "Invalid email or password",
        withRefreshToken);
  }

  /** Seed 003: username, password and tenant domain. */
  public Mono<Session> loginByUsername(String username, String password, String tenantDomain) {
    String domain = tenantDomain.trim().toLowerCase(Locale.ROOT);
    Mono<List<User>> candidates =
        tenants
            .findByDomain(domain)
            .flatMap(tenant -> users.findByUsername(tenant.id(), username.trim()))
            .filter(User::active)
            .map(List::of)
            .defaultIfEmpty(List.of());
    return login(
        "user@" + domain, username.trim(), password, candidates, "Invalid credentials", false);
  }

  private Mono<Session> login(
      String scope,
      String login,
      String password,
      Mono<List<User>> candidates,
      String failureMessage,
      boolean withRefreshToken) {
    return Mono.zip(ClientIp.current(), candidates)
        .flatMap(
            found -> {
              Attempt attempt = Attempt.of(scope, login, found.getT2(), found.getT1().orElse(null));
              return guard
                  .check(attempt)
                  .then(Mono.defer(() -> matching(found.getT2(), password)))
                  .flatMap(
                      matches -> {
                        if (matches.isEmpty()) {
                          return guard
                              .recordFailure(attempt)
                              .then(Mono.error(ApiException.unauthorized(failureMessage)));
                        }
                        if (matches.size() > 1) {
                          return Mono.error(chooseTenant());
                        }
                        User user = matches.getFirst();
                        return guard
                            .recordSuccess(attempt)
                            .then(users.strengthenHash(user, password))
                            .then(start(user, withRefreshToken));
                      });
            });
  }

  private static ApiException chooseTenant() {
    return ApiException.badRequest(
        "This e-mail belongs to users of several tenants: send X-Tenant-Domain to choose one");
  }

  /** The candidates whose password matches (a decoy hash is checked when there are none). */
  private Mono<List<User>> matching(List<User> candidates, String password) {
    if (candidates.isEmpty()) {
      return hasher.matches(password, null).thenReturn(List.of());
    }
    return Flux.fromIterable(candidates)
        .concatMap(
            user -> hasher.matches(password, user.passwordHash()).filter(ok -> ok).map(ok -> user))
        .collectList();
  }

  /** Records the login and issues the tokens. */
  private Mono<Session> start(User user, boolean withRefreshToken) {
    UUID sessionId = UUID.randomUUID();
    String refreshToken = withRefreshToken ? Secrets.randomToken(REFRESH_TOKEN_BYTES) : null;
    Mono<Session> work =
        users
            .recordLogin(user.id())
            .flatMap(
                loggedIn ->
                    (refreshToken == null
                            ? Mono.<Void>empty()
                            : refreshTokens.insert(
                                Secrets.sha256(refreshToken),
                                sessionId,
                                user.id(),
                                user.tenantId(),
                                Instant.now().plus(properties.refreshTokenTtl())))
                        .then(
                            audit.record(
                                user.tenantId(),
                                new Actor(user.id(), user.username()),
                                AuditAction.LOGIN,
                                AuditLog.USER,
                                Long.toString(user.id()),
                                Map.of("session", sessionId.toString())))
                        .then(tenant(user.tenantId()))
                        .map(
                            tenant ->
                                new Session(
                                    loggedIn,
                                    tenant,
                                    accessToken(loggedIn, tenant, sessionId.toString()),
                                    refreshToken)));
    return tx.transactional(work);
  }

  /** Outcome of presenting a refresh token, decided (and committed) before answering. */
  private sealed interface Refresh {
    record Rotated(Session session) implements Refresh {}

    record Rejected(String reason) implements Refresh {}
  }

  /**
   * Rotates a refresh token: the presented one is spent and a new one of the same family issued.
   * Presenting a spent token again revokes the whole family (it was stolen, or the client is
   * confused; either way the session ends).
   */
  public Mono<Session> refresh(String presented) {
    String hash = Secrets.sha256(presented);
    Mono<Refresh> work =
        refreshTokens
            .findForUpdate(hash)
            .flatMap(token -> rotate(token, hash))
            .defaultIfEmpty(new Refresh.Rejected("Invalid refresh token"));
    return tx.transactional(work)
        .flatMap(
            outcome ->
                switch (outcome) {
                  case Refresh.Rotated rotated -> Mono.just(rotated.session());
                  case Refresh.Rejected rejected ->
                      Mono.error(ApiException.unauthorized(rejected.reason()));
                });
  }

  private Mono<Refresh> rotate(RefreshToken token, String hash) {
    if (token.revokedAt() != null) {
      return Mono.just(new Refresh.Rejected("Refresh token has been revoked"));
    }
    if (token.rotatedAt() != null) {
      Actor actor = new Actor(token.userId(), null);
      // The session's access tokens go too (one may be in a thief's hands), but revoking the
      // family matters more: it goes ahead even when Redis cannot record the end.
      Mono<Void> endAccessTokens =
          ends.endSession(token.familyId().toString())
              .onErrorResume(
                  e -> {
                    log.warn(
                        "Refresh token reused: session {} revoked, but its access tokens stay"
                            + " valid until they expire: {}",
                        token.familyId(),
                        e.toString());
                    return Mono.empty();
                  });
      return endAccessTokens
          .then(refreshTokens.revokeFamily(token.familyId()))
          .then(
              audit.record(
                  token.tenantId(),
                  actor,
                  AuditAction.REVOKE,
                  AuditLog.SESSION,
                  token.familyId().toString(),
                  Map.of("reason", "refresh token reused")))
          .thenReturn(
              new Refresh.Rejected("Refresh token was already used; the session is revoked"));
    }
    if (!token.expiresAt().isAfter(Instant.now())) {
      return Mono.just(new Refresh.Rejected("Refresh token has expired"));
    }
    String next = Secrets.randomToken(REFRESH_TOKEN_BYTES);
    return users
        .findById(token.userId())
        .filter(User::active)
        .flatMap(
            user ->
                refreshTokens
                    .markRotated(hash)
                    .then(
                        refreshTokens.insert(
                            Secrets.sha256(next),
                            token.familyId(),
                            user.id(),
                            user.tenantId(),
                            Instant.now().plus(properties.refreshTokenTtl())))
                    .then(
                        audit.record(
                            user.tenantId(),
                            new Actor(user.id(), user.username()),
                            AuditAction.TOKEN_REFRESH,
                            AuditLog.SESSION,
                            token.familyId().toString(),
                            Map.of()))
                    .then(tenant(user.tenantId()))
                    .map(
                        tenant ->
                            (Refresh)
                                new Refresh.Rotated(
                                    new Session(
                                        user,
                                        tenant,
                                        accessToken(user, tenant, token.familyId().toString()),
                                        next))))
        .defaultIfEmpty(new Refresh.Rejected("The user of this session is no longer active"));
  }

  /**
   * Ends the caller's session: its refresh token family can no longer be used, and the gateway
   * refuses its access tokens (recorded first: if that fails, nothing has changed and the client
   * may try again).
   */
  public Mono<Void> logout(Caller caller) {
    String sid = caller.principal().sessionId();
    Mono<Long> revoke = Mono.just(0L);
    if (sid != null) {
      try {
        revoke = ends.endSession(sid).then(refreshTokens.revokeFamily(UUID.fromString(sid)));
      } catch (IllegalArgumentException e) {
        // Not a session of ours: nothing to revoke.
      }
    }
    Mono<Void> work =
        revoke.flatMap(
            revoked ->
                audit.record(
                    caller.principal().tenantId(),
                    caller.actor(),
                    AuditAction.LOGOUT,
                    AuditLog.SESSION,
                    sid,
                    Map.of("refresh_tokens_revoked", revoked)));
    return tx.transactional(work);
  }

  /**
   * Seed 001: a token for {@code user_id}, whose tenant {@code tenant-<user_id>} and user are
   * created on first use.
   */
  public Mono<Session> tenantOwnerToken(
      String userId, String displayName, String email, Actor actor) {
    String tenantId = "tenant-" + userId;
    Mono<Session> work =
        tenants
            .ensure(tenantId, tenantId, tenantId, Plan.FREE, actor)
            .flatMap(
                tenant ->
                    userService
                        .ensureTenantOwner(tenantId, userId, displayName, email, actor)
                        .flatMap(
                            user ->
                                audit
                                    .record(
                                        tenantId,
                                        actor,
                                        AuditAction.TOKEN_ISSUE,
                                        AuditLog.USER,
                                        Long.toString(user.id()),
                                        Map.of("endpoint", "/auth/token"))
                                    .thenReturn(
                                        new Session(
                                            user,
                                            tenant,
                                            accessToken(user, tenant, UUID.randomUUID().toString()),
                                            null))));
    return tx.transactional(work);
  }

  /** An access token for a user of a tenant. */
  public IssuedToken accessToken(User user, Tenant tenant, String sessionId) {
    return issuer.issue(
        new CumulusPrincipal(
            Long.toString(user.id()),
            tenant.id(),
            tenant.domain(),
            tenant.plan().id(),
            user.username(),
            user.email(),
            user.roles(),
            user.permissions(),
            null,
            null,
            null,
            sessionId),
        properties.accessTokenTtl());
  }

  private Mono<Tenant> tenant(String id) {
    return tenants
        .findById(id)
        .switchIfEmpty(Mono.error(() -> new IllegalStateException("Tenant " + id + " vanished")));
  }
}
