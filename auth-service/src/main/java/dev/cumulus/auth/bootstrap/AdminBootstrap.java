package dev.cumulus.auth.bootstrap;

import dev.cumulus.auth.audit.application.AuditLog;
import dev.cumulus.auth.audit.domain.AuditAction;
import dev.cumulus.auth.common.domain.Actor;
import dev.cumulus.auth.config.AuthProperties;
import dev.cumulus.auth.session.domain.Secrets;
import dev.cumulus.auth.tenant.application.TenantService;
import dev.cumulus.auth.tenant.domain.Plan;
import dev.cumulus.auth.user.application.PasswordHasher;
import dev.cumulus.auth.user.application.UserAccounts;
import dev.cumulus.auth.user.application.UserService;
import dev.cumulus.auth.user.domain.UserRules;
import dev.cumulus.platform.crypto.SecretFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * First start: the platform tenant ({@code default}, enterprise) and its administrator ({@code
 * admin}, roles admin + platform_admin, permissions {@code *}). The password is {@code
 * cumulus.auth.admin.password}, else a random one written to {@code
 * cumulus.auth.admin.password-file} (0600); only that file's path is logged. Idempotent, and safe
 * when several instances start at once (advisory lock).
 */
@Component
public class AdminBootstrap {

  private static final Logger log = LoggerFactory.getLogger(AdminBootstrap.class);
  private static final long BOOTSTRAP_LOCK = 0x6375_6d75_6c75_7302L;

  private final AuthProperties.Admin admin;
  private final TenantService tenants;
  private final UserAccounts users;
  private final PasswordHasher hasher;
  private final AuditLog audit;
  private final DatabaseClient db;
  private final TransactionalOperator tx;

  public AdminBootstrap(
      AuthProperties properties,
      TenantService tenants,
      UserAccounts users,
      PasswordHasher hasher,
      AuditLog audit,
      DatabaseClient db,
      TransactionalOperator tx) {
    this.admin = properties.admin();
    this.tenants = tenants;
    this.users = users;
    this.hasher = hasher;
    this.audit = audit;
    this.db = db;
    this.tx = tx;
  }

  public Mono<Void> run() {
    Mono<Void> work =
        db.sql("SELECT pg_advisory_xact_lock(:lock)")
            .bind("lock", BOOTSTRAP_LOCK)
            .map(row -> Boolean.TRUE)
            .all()
            .then(
                tenants.ensure(
                    admin.tenant(), admin.tenant(), "Default", Plan.ENTERPRISE, Actor.SYSTEM))
            .flatMap(
                tenant ->
                    users
                        .findByUsername(tenant.id(), admin.username())
                        .hasElement()
                        .flatMap(exists -> exists ? Mono.empty() : createAdmin(tenant.id())));
    return tx.transactional(work);
  }

  private Mono<Void> createAdmin(String tenantId) {
    return Mono.fromCallable(this::initialPassword)
        .subscribeOn(Schedulers.boundedElastic()) // file I/O
        .flatMap(hasher::hash)
        .flatMap(
            hash ->
                users.createAdministrator(
                    tenantId, admin.username(), UserRules.email(admin.email()), hash))
        .flatMap(
            user ->
                audit.record(
                    tenantId,
                    Actor.SYSTEM,
                    AuditAction.CREATE,
                    AuditLog.USER,
                    Long.toString(user.id()),
                    UserService.snapshot(user)))
        .doOnSuccess(
            done ->
                log.info(
                    "Created platform administrator '{}' in tenant '{}'",
                    admin.username(),
                    tenantId));
  }

  /** The configured password, else the generated one in the password file (created if absent). */
  private String initialPassword() {
    if (admin.password() != null && !admin.password().isBlank()) {
      return UserRules.password(admin.password());
    }
    Path file = admin.passwordFile();
    try {
      if (!Files.exists(file)) {
        try {
          SecretFiles.writeNew(file, Secrets.alphanumeric(24));
          log.warn(
              "No CUMULUS_ADMIN_PASSWORD set: generated the administrator's password into {}",
              file.toAbsolutePath());
        } catch (FileAlreadyExistsException raced) {
          // Another instance wrote it first: use theirs.
        }
      } else {
        log.info("Administrator's initial password read from {}", file.toAbsolutePath());
      }
      return Files.readString(file, StandardCharsets.UTF_8).trim();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read or write the admin password file " + file, e);
    }
  }
}
