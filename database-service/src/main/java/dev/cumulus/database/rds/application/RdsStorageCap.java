package dev.cumulus.database.rds.application;

import dev.cumulus.database.rds.config.RdsProperties;
import dev.cumulus.database.rds.domain.RdsInstance;
import dev.cumulus.database.rds.persistence.RdsInstanceRepository;
import dev.cumulus.platform.schedule.PeriodicWork;
import java.time.Duration;
import java.util.LinkedHashMap;
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
 * The storage cap per plan. Every {@code storage-check-interval} each instance's {@code
 * pg_database_size} is measured against its plan's storage limit (replicas share the work: an
 * instance is claimed by one node per interval, RdsInstanceRepository#claimStorageChecks). Over it,
 * the instance's role gets {@code default_transaction_read_only = on} (as Heroku does), its
 * sessions are ended so that new ones start read-only, the service's pool for it is recycled, and
 * {@code dev.cumulus.rds.instance.storage-exceeded.v1} is published; the API then runs its
 * statements READ ONLY but for DELETE, TRUNCATE and DROP (StorageCap). Under the limit again, the
 * setting is reset, sessions are ended again (they started read-only), and {@code
 * dev.cumulus.rds.instance.storage-restored.v1} is published.
 *
 * <p>PostgreSQL lets a session override its role's default ({@code BEGIN READ WRITE}, {@code SET
 * default_transaction_read_only = off}): for direct clients the cap is a stop sign, not a wall
 * (docs/rds.md). The setting is set again at each check while over the limit, in case the tenant
 * reset it on the role.
 */
@Component
public class RdsStorageCap extends PeriodicWork {

  private static final Logger log = LoggerFactory.getLogger(RdsStorageCap.class);
  private static final int BATCH = 100;

  private final RdsInstanceRepository repository;
  private final AdminServer admin;
  private final RdsEvents events;
  private final TransactionalOperator tx;
  private final RdsProperties properties;
  private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();

  public RdsStorageCap(
      RdsInstanceRepository repository,
      AdminServer admin,
      RdsEvents events,
      TransactionalOperator tx,
      RdsProperties properties) {
    super("Storage check round");
    this.repository = repository;
    this.admin = admin;
    this.events = events;
    this.tx = tx;
    this.properties = properties;
  }

  /** Called with a service id whenever its instance was made read-only or writable again. */
  void onChanged(Consumer<String> listener) {
    listeners.add(listener);
  }

  /** One round: the instances due for a check, claimed by this node, each checked. */
  public Mono<Long> checkDue() {
    return repository
        .claimStorageChecks(properties.storageCheckInterval(), BATCH)
        .concatMap(
            rds ->
                check(rds)
                    .onErrorResume(
                        e -> {
                          log.warn(
                              "Storage check of rdsdatabase {} failed: {}",
                              rds.serviceId(),
                              e.toString());
                          return Mono.empty();
                        })
                    .thenReturn(1))
        .count();
  }

  /** Checks one instance now (after a plan change, its limit may be another). */
  public Mono<Void> check(String serviceId) {
    return repository.find(serviceId).flatMap(this::check);
  }

  private Mono<Void> check(RdsInstance rds) {
    long limit = rds.limits().storageLimitBytes();
    return admin
        // No row while the database is still being created (or already dropped): nothing to do.
        .number(
            "SELECT pg_database_size(oid) FROM pg_database WHERE datname = $1", rds.databaseName())
        .flatMap(
            size -> {
              boolean over = limit >= 0 && size > limit;
              if (over && !rds.storageExceeded()) {
                return exceed(rds, size, limit);
              }
              if (!over && rds.storageExceeded()) {
                return restore(rds, size, limit);
              }
              Mono<Void> record = repository.recordSize(rds.serviceId(), size, over);
              // Still over: the tenant may have reset the role's setting; set it again.
              return over ? readOnly(rds, true).then(record) : record;
            });
  }

  private Mono<Void> exceed(RdsInstance rds, long size, long limit) {
    log.info(
        "rdsdatabase {} is over its storage limit ({} > {} bytes): read-only",
        rds.serviceId(),
        size,
        limit);
    return readOnly(rds, true)
        .then(
            repository
                .recordSize(rds.serviceId(), size, true)
                .then(publish(rds, "storage-exceeded", size, limit))
                .as(tx::transactional))
        .then(recycle(rds));
  }

  private Mono<Void> restore(RdsInstance rds, long size, long limit) {
    log.info(
        "rdsdatabase {} is under its storage limit again ({} <= {} bytes): writable",
        rds.serviceId(),
        size,
        limit);
    return readOnly(rds, false)
        .then(
            repository
                .recordSize(rds.serviceId(), size, false)
                .then(publish(rds, "storage-restored", size, limit))
                .as(tx::transactional))
        .then(recycle(rds));
  }

  private Mono<Void> readOnly(RdsInstance rds, boolean on) {
    String alter = "ALTER ROLE " + RdsInstances.quote(rds.roleName());
    return admin.execute(
        on
            ? alter + " SET default_transaction_read_only = on"
            : alter + " RESET " + "default_transaction_read_only");
  }

  /**
   * PostgreSQL reads a role's defaults at login, so the role's other sessions (direct clients,
   * backups) are ended and the next ones start with the new setting. The service's own pool is
   * recycled instead (closed as its connections come back): its transactions set READ ONLY or READ
   * WRITE themselves, and ending them would fail requests in flight.
   */
  private Mono<Void> recycle(RdsInstance rds) {
    return Mono.fromRunnable(() -> listeners.forEach(l -> l.accept(rds.serviceId())))
        .then(
            admin
                .strings(
                    "SELECT pg_terminate_backend(pid)::text FROM pg_stat_activity"
                        + " WHERE usename = "
                        + literal(rds.roleName())
                        + " AND application_name IS DISTINCT FROM "
                        + literal(TenantPools.APPLICATION_NAME)
                        + " AND pid <> pg_backend_pid()")
                .then());
  }

  private Mono<Void> publish(RdsInstance rds, String verb, long size, long limit) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("serviceId", rds.serviceId());
    data.put("database", rds.databaseName());
    data.put("plan", rds.plan());
    data.put("sizeBytes", size);
    data.put("storageLimitBytes", limit);
    return events.publish(rds.tenantId(), rds.serviceId(), "instance", verb, data);
  }

  /** Role names are generated (DatabaseNames): a string literal, quotes doubled all the same. */
  private static String literal(String value) {
    return "'" + value.replace("'", "''") + "'";
  }

  @Override
  protected Duration interval() {
    return properties.storageCheckInterval().dividedBy(2);
  }

  @Override
  protected Mono<?> runOnce() {
    return checkDue();
  }
}
