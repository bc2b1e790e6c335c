package dev.cumulus.database.rds.application;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.cumulus.database.rds.config.RdsProperties;
import dev.cumulus.database.rds.domain.PlanLimits;
import dev.cumulus.database.rds.domain.RdsInstance;
import dev.cumulus.database.rds.persistence.RdsInstanceRepository;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * An instance's limits follow its tenant's plan. They are decided when it is provisioned (the
 * default plan's while auth-service cannot say), stored with it and set on its role; an instance in
 * use asks again at most once per {@code plan-check-interval}, in the background, and a changed
 * plan (or changed plan settings) is applied to the role and the row. A tenant event announcing a
 * plan change (RdsPlanEvents) applies it to all the tenant's instances at once.
 */
@Component
public class RdsLimits {

  private static final Logger log = LoggerFactory.getLogger(RdsLimits.class);

  /** A plan (null: not known yet) and the limits it gives. */
  public record Decision(String plan, PlanLimits limits) {}

  private final TenantPlans tenantPlans;
  private final RdsPlans plans;
  private final AdminServer admin;
  private final RdsInstanceRepository repository;
  private final Cache<String, Boolean> recentlyChecked;
  private final List<Consumer<RdsInstance>> listeners = new CopyOnWriteArrayList<>();

  public RdsLimits(
      TenantPlans tenantPlans,
      RdsPlans plans,
      AdminServer admin,
      RdsInstanceRepository repository,
      RdsProperties properties) {
    this.tenantPlans = tenantPlans;
    this.plans = plans;
    this.admin = admin;
    this.repository = repository;
    this.recentlyChecked =
        Caffeine.newBuilder()
            .maximumSize(100_000)
            .expireAfterWrite(properties.planCheckInterval())
            .build();
  }

  /** Called with an instance's row whenever its limits were checked against its plan. */
  void onChecked(Consumer<RdsInstance> listener) {
    listeners.add(listener);
  }

  /** The limits of the tenant's plan; the default plan's while auth-service cannot answer. */
  public Mono<Decision> decide(String tenantId) {
    return tenantPlans
        .planOf(tenantId)
        .map(plan -> new Decision(plan.orElse(null), plans.of(plan.orElse(null))))
        .onErrorResume(
            e -> {
              log.warn(
                  "Tenant {}'s plan is unknown ({}): its new database gets the default plan's"
                      + " limits until auth-service answers",
                  tenantId,
                  e.getMessage());
              return Mono.just(new Decision(null, plans.of(null)));
            });
  }

  /**
   * The role's CONNECTION LIMIT and session defaults. Existing sessions keep theirs: PostgreSQL
   * reads role defaults at login and counts the connection limit only for new sessions.
   */
  public Mono<Void> applyToRole(String role, PlanLimits limits) {
    String alter = "ALTER ROLE " + RdsInstances.quote(role);
    List<String> statements = new ArrayList<>();
    statements.add(alter + " CONNECTION LIMIT " + limits.connectionLimit());
    limits
        .roleSettings()
        .forEach((name, value) -> statements.add(alter + " SET " + name + " = '" + value + "'"));
    statements.add(alter + " SET idle_in_transaction_session_timeout = '10min'");
    return admin.execute(statements.toArray(String[]::new));
  }

  /** Checks the instance's plan in the background unless that was done lately. */
  public void recheckSoon(String serviceId) {
    if (recentlyChecked.asMap().putIfAbsent(serviceId, Boolean.TRUE) == null) {
      recheck(serviceId)
          .subscribe(
              null,
              e ->
                  log.warn(
                      "Could not check the plan of rdsdatabase {}: {}", serviceId, e.toString()));
    }
  }

  /**
   * Compares the instance's stored plan and limits with its tenant's plan now; applies the plan's
   * limits to the role and the row when they differ. An unknown tenant changes nothing;
   * auth-service unreachable fails (the next check tries again).
   */
  Mono<RdsInstance> recheck(String serviceId) {
    return repository
        .find(serviceId)
        .flatMap(rds -> tenantPlans.planOf(rds.tenantId()).flatMap(plan -> apply(rds, plan)))
        .doOnNext(checked -> listeners.forEach(listener -> listener.accept(checked)));
  }

  /**
   * A tenant's plan changed (RdsPlanEvents): its plan's limits, applied to each of its instances
   * now. auth-service's answer wins (a redelivered old event must not undo a newer change); the
   * event's plan is used while auth-service cannot answer; without either nothing changes now (the
   * per-call check applies it later).
   *
   * @param announced the plan the event names; null when it names none
   * @return the tenant's instances as they are now
   */
  public Flux<RdsInstance> applyToTenant(String tenantId, String announced) {
    return tenantPlans
        .planOf(tenantId)
        .onErrorResume(
            e -> {
              if (announced == null) {
                log.warn(
                    "Tenant {}'s plan changed but auth-service cannot say to what ({}): its"
                        + " instances get it with their next check",
                    tenantId,
                    e.getMessage());
                return Mono.empty();
              }
              log.warn(
                  "Tenant {}'s plan from auth-service is unknown ({}): applying the event's {}",
                  tenantId,
                  e.getMessage(),
                  announced);
              return Mono.just(Optional.of(announced));
            })
        .flatMapMany(
            plan ->
                repository
                    .ofTenant(tenantId)
                    .concatMap(rds -> apply(rds, plan))
                    .doOnNext(checked -> listeners.forEach(listener -> listener.accept(checked))));
  }

  private Mono<RdsInstance> apply(RdsInstance rds, Optional<String> plan) {
    PlanLimits wanted = plans.of(plan.orElse(null));
    if (plan.isEmpty() || (plan.get().equals(rds.plan()) && wanted.equals(rds.limits()))) {
      return Mono.just(rds);
    }
    log.info(
        "rdsdatabase {}: plan {} -> {}, limits {}",
        rds.serviceId(),
        rds.plan(),
        plan.get(),
        wanted);
    return applyToRole(rds.roleName(), wanted)
        .then(repository.updateLimits(rds.serviceId(), plan.get(), wanted))
        .then(repository.find(rds.serviceId()));
  }
}
