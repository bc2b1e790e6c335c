package dev.cumulus.database.rds.application;

import dev.cumulus.database.rds.domain.DatabaseNames;
import dev.cumulus.database.rds.domain.Passwords;
import dev.cumulus.database.rds.domain.RdsInstance;
import dev.cumulus.database.rds.persistence.RdsInstanceRepository;
import dev.cumulus.platform.crypto.MasterKey;
import dev.cumulus.platform.error.ApiException;
import dev.cumulus.platform.instance.Instance;
import dev.cumulus.platform.instance.InstanceProvisioner;
import io.r2dbc.spi.R2dbcException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;

/**
 * An rdsdatabase instance is a database on the configured server, owned by a login role of its own
 * with a generated password: no superuser, no CREATEDB or CREATEROLE, and its tenant's plan's
 * limits (RdsLimits): a connection limit, statement timeout, work_mem and temp_file_limit. PUBLIC
 * loses CONNECT on the new database (and, by default, on the server's other databases), so a
 * tenant's role reaches its own database only. Every step is idempotent: a redelivered {@code
 * service.created} finishes the job.
 */
@Component
public class RdsInstances implements InstanceProvisioner {

  public static final String TYPE = "rdsdatabase";
  private static final Logger log = LoggerFactory.getLogger(RdsInstances.class);

  /** What a client needs to log in; the password only in memory, never logged. */
  public record Credentials(String database, String username, String password) {
    @Override
    public String toString() {
      return "Credentials[database=" + database + ", username=" + username + "]";
    }
  }

  private final RdsInstanceRepository repository;
  private final AdminServer admin;
  private final MasterKey key;
  private final RdsLimits limits;
  private final RdsEvents events;
  private final Backups backups;
  private final TransactionalOperator tx;
  private final List<Consumer<String>> credentialListeners = new CopyOnWriteArrayList<>();

  public RdsInstances(
      RdsInstanceRepository repository,
      AdminServer admin,
      MasterKey rdsMasterKey,
      RdsLimits limits,
      RdsEvents events,
      Backups backups,
      TransactionalOperator tx) {
    this.repository = repository;
    this.admin = admin;
    this.key = rdsMasterKey;
    this.limits = limits;
    this.events = events;
    this.backups = backups;
    this.tx = tx;
  }

  /** Called with a service id whenever its credentials change or it goes away. */
  void onCredentialsChanged(Consumer<String> listener) {
    credentialListeners.add(listener);
  }

  @Override
  public Mono<Void> provision(Instance instance) {
    String name = DatabaseNames.of(instance.serviceId());
    String password = Passwords.generate();
    return limits
        .decide(instance.tenantId())
        .map(
            decided ->
                new RdsInstance(
                    instance.serviceId(),
                    instance.tenantId(),
                    name,
                    name,
                    seal(instance, password),
                    decided.plan(),
                    decided.limits(),
                    false))
        // A redelivered event finds the row: its password and limits are the ones to (re)apply.
        .flatMap(repository::insertIfAbsent)
        .flatMap(stored -> createOnServer(stored, open(stored)))
        .then(
            events.publish(
                instance.tenantId(),
                instance.serviceId(),
                "instance",
                "ready",
                Map.of("serviceId", instance.serviceId(), "database", name, "username", name)));
  }

  private Mono<Void> createOnServer(RdsInstance rds, String password) {
    String role = quote(rds.roleName());
    String database = quote(rds.databaseName());
    String options =
        " LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS INHERIT"
            + " CONNECTION LIMIT "
            + rds.limits().connectionLimit()
            + " PASSWORD '"
            + password
            + "'";
    Mono<Void> role1 =
        admin
            .exists("SELECT 1 FROM pg_roles WHERE rolname = $1", rds.roleName())
            .flatMap(
                exists ->
                    admin.execute((exists ? "ALTER ROLE " : "CREATE ROLE ") + role + options));
    Mono<Void> settings = limits.applyToRole(rds.roleName(), rds.limits());
    Mono<Void> db =
        admin
            .exists("SELECT 1 FROM pg_database WHERE datname = $1", rds.databaseName())
            .flatMap(
                exists ->
                    exists
                        ? Mono.empty()
                        : admin.execute(
                            "CREATE DATABASE "
                                + database
                                + " OWNER "
                                + role
                                + " TEMPLATE template0 ENCODING 'UTF8'"))
            .then(admin.execute("REVOKE ALL ON DATABASE " + database + " FROM PUBLIC"));
    return role1.then(settings).then(db).then(revokePublicConnectOnServerDefaults());
  }

  /**
   * PUBLIC may connect to every database by default. The platform's own databases are closed by
   * their services' bootstrap (platform-data's DatabaseBootstrap); the two every server has, {@code
   * postgres} and {@code template1}, are closed here, and only while PUBLIC still may connect (two
   * replicas changing one ACL at once can fail with "tuple concurrently updated": the loser's work
   * was done by the winner). Other databases on the server are not Cumulus's to change
   * (docs/rds.md).
   */
  private Mono<Void> revokePublicConnectOnServerDefaults() {
    return admin
        .strings(
            "SELECT datname FROM pg_database WHERE datname IN ('postgres', 'template1')"
                + " AND has_database_privilege('public', datname, 'CONNECT')")
        .concatMap(
            name ->
                admin
                    .execute("REVOKE CONNECT ON DATABASE " + quote(name) + " FROM PUBLIC")
                    .onErrorResume(RdsInstances::concurrentlyUpdated, e -> Mono.empty()))
        .then();
  }

  private static boolean concurrentlyUpdated(Throwable error) {
    return error instanceof R2dbcException e && "XX000".equals(e.getSqlState());
  }

  @Override
  public Mono<Void> deprovision(Instance instance) {
    return repository
        .find(instance.serviceId())
        .flatMap(
            rds -> {
              credentialListeners.forEach(listener -> listener.accept(rds.serviceId()));
              return admin
                  .execute(
                      "DROP DATABASE IF EXISTS " + quote(rds.databaseName()) + " WITH (FORCE)",
                      "DROP ROLE IF EXISTS " + quote(rds.roleName()))
                  .then(backups.deleteAll(rds.serviceId()))
                  .then(repository.delete(rds.serviceId()))
                  .then(
                      events.publish(
                          rds.tenantId(),
                          rds.serviceId(),
                          "instance",
                          "deleted",
                          Map.of("serviceId", rds.serviceId(), "database", rds.databaseName())));
            })
        .doOnSuccess(v -> log.info("rdsdatabase {} dropped", instance.serviceId()));
  }

  /** The instance's row; 404 when there is none. */
  public Mono<RdsInstance> instance(String serviceId) {
    return repository
        .find(serviceId)
        .switchIfEmpty(
            Mono.error(() -> ApiException.notFound("Database " + serviceId + " not found")));
  }

  /** The instance's login, for its connection pool and for the tenant. */
  public Mono<Credentials> credentials(String serviceId) {
    return instance(serviceId).map(this::credentials);
  }

  Credentials credentials(RdsInstance rds) {
    return new Credentials(rds.databaseName(), rds.roleName(), open(rds));
  }

  /** A new password, set on the server and sealed in the row in one go; open pools are closed. */
  public Mono<Credentials> rotatePassword(Instance instance) {
    String password = Passwords.generate();
    return repository
        .find(instance.serviceId())
        .switchIfEmpty(Mono.error(() -> ApiException.notFound("Database not found")))
        .flatMap(
            rds ->
                repository
                    .updatePassword(rds.serviceId(), seal(instance, password))
                    .then(
                        admin.execute(
                            "ALTER ROLE " + quote(rds.roleName()) + " PASSWORD '" + password + "'"))
                    .as(tx::transactional)
                    .then(
                        Mono.fromRunnable(
                            () ->
                                credentialListeners.forEach(
                                    listener -> listener.accept(rds.serviceId()))))
                    .thenReturn(new Credentials(rds.databaseName(), rds.roleName(), password)));
  }

  private byte[] seal(Instance instance, String password) {
    return key.encrypt(password.getBytes(StandardCharsets.UTF_8), aad(instance.serviceId()));
  }

  private String open(RdsInstance rds) {
    String password =
        new String(key.decrypt(rds.sealed(), aad(rds.serviceId())), StandardCharsets.UTF_8);
    if (!Passwords.safe(password)) {
      throw new IllegalStateException("Stored password of " + rds.serviceId() + " is malformed");
    }
    return password;
  }

  public static String aad(String serviceId) {
    return "rds-password:" + serviceId;
  }

  /**
   * Names here are generated ({@link DatabaseNames}) or read from pg_database: quote and escape.
   */
  static String quote(String name) {
    return "\"" + name.replace("\"", "\"\"") + "\"";
  }
}
