package dev.cumulus.function.functions.application;

import dev.cumulus.function.common.domain.FunctionErrors;
import dev.cumulus.function.config.FunctionProperties;
import dev.cumulus.function.functions.domain.Function;
import dev.cumulus.function.functions.domain.FunctionNames;
import dev.cumulus.function.functions.domain.FunctionSettings;
import dev.cumulus.function.functions.persistence.EventInvocationRepository;
import dev.cumulus.function.functions.persistence.FunctionRepository;
import dev.cumulus.function.functions.persistence.InvocationRecordRepository;
import dev.cumulus.function.sandbox.application.CodeStore;
import dev.cumulus.function.sandbox.application.FunctionSandbox;
import dev.cumulus.function.sandbox.application.RuntimeCatalog;
import dev.cumulus.function.sandbox.domain.Deployment;
import dev.cumulus.platform.events.Outbox;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Functions of function instances: create, read, configure, new code, versions, aliases, delete.
 */
@Service
public class FunctionService {

  /** Kafka topic of function-service's events. */
  public static final String TOPIC = "cumulus.function";

  private final FunctionRepository functions;
  private final EventInvocationRepository events;
  private final InvocationRecordRepository records;
  private final List<FunctionDeletions> deletions;
  private final RuntimeCatalog runtimes;
  private final CodeStore code;
  private final FunctionSandbox sandbox;
  private final TransactionalOperator tx;
  private final Outbox outbox;
  private final String region;
  private final InvokeTargets invokeTargets;

  public FunctionService(
      FunctionRepository functions,
      EventInvocationRepository events,
      InvocationRecordRepository records,
      List<FunctionDeletions> deletions,
      RuntimeCatalog runtimes,
      CodeStore code,
      FunctionSandbox sandbox,
      TransactionalOperator tx,
      Outbox outbox,
      FunctionProperties properties) {
    this.functions = functions;
    this.events = events;
    this.records = records;
    this.deletions = deletions;
    this.runtimes = runtimes;
    this.code = code;
    this.sandbox = sandbox;
    this.tx = tx;
    this.outbox = outbox;
    this.region = properties.region();
    this.invokeTargets = new InvokeTargets(properties.pool().invokeTargetTtl());
  }

  public String region() {
    return region;
  }

  /** Creates a function ($LATEST); {@code ResourceConflictException} when the name is taken. */
  public Mono<Function> create(
      String tenantId, String serviceId, String name, FunctionSettings requested, byte[] zip) {
    FunctionNames.check(name);
    if (requested.runtime() == null) {
      throw FunctionErrors.invalidParameter("runtime is required");
    }
    FunctionSettings settings = requested.withDefaults().check();
    String effective = runtimes.resolve(settings.runtime());
    if (zip == null) {
      throw FunctionErrors.invalidParameter("code is required (a base64 zip file)");
    }
    CodeStore.CodeInfo info = code.inspect(zip);
    Instant now = now();
    Function function =
        build(tenantId, serviceId, name, Function.LATEST, settings, effective, info, now, now);
    return functions
        .insert(function, zip)
        .flatMap(
            inserted ->
                inserted
                    ? event(function, "created").thenReturn(function)
                    : Mono.error(FunctionErrors.conflict("Function already exist: " + name)))
        .as(tx::transactional);
  }

  /** A version of a function ($LATEST, a number or an alias); {@code ResourceNotFoundException}. */
  public Mono<Function> require(String serviceId, String name, String qualifier) {
    String q = qualifier == null || qualifier.isEmpty() ? Function.LATEST : qualifier;
    Mono<String> version =
        FunctionNames.isVersion(q)
            ? Mono.just(q)
            : functions
                .aliasVersion(serviceId, name, q)
                .switchIfEmpty(Mono.error(() -> FunctionErrors.notFound(name + ":" + q)));
    return version.flatMap(
        v ->
            functions
                .find(serviceId, name, v)
                .switchIfEmpty(
                    Mono.error(
                        () ->
                            FunctionErrors.notFound(
                                Function.LATEST.equals(v) ? name : name + ":" + v))));
  }

  /**
   * {@link #require} for an invoke: a function invoked in the last moments is not read again
   * ({@link InvokeTargets}).
   */
  public Mono<Function> requireForInvoke(String serviceId, String name, String qualifier) {
    return invokeTargets.get(serviceId, name, qualifier, () -> require(serviceId, name, qualifier));
  }

  /** What this replica keeps of a function (warm processes, cached reads) is now stale. */
  private void changed(String serviceId, String name) {
    sandbox.evict(serviceId, name);
    invokeTargets.forget(serviceId, name);
  }

  public Mono<List<Function>> list(String serviceId) {
    return functions.list(serviceId, Function.LATEST).collectList();
  }

  public Mono<List<Function>> versions(String serviceId, String name) {
    return require(serviceId, name, null)
        .thenMany(functions.versions(serviceId, name))
        .collectList();
  }

  public Mono<Map<String, String>> aliases(String serviceId, String name) {
    return functions
        .aliases(serviceId, name)
        .collectMap(Map.Entry::getKey, Map.Entry::getValue, LinkedHashMap::new);
  }

  /** Changes the configuration of $LATEST: what the request leaves out stays. */
  public Mono<Function> configure(String serviceId, String name, FunctionSettings changes) {
    return require(serviceId, name, null)
        .flatMap(
            current -> {
              FunctionSettings settings = changes.merge(settings(current)).check();
              String effective = runtimes.resolve(settings.runtime());
              Function updated =
                  build(
                      current.tenantId(),
                      serviceId,
                      name,
                      Function.LATEST,
                      settings,
                      effective,
                      new CodeStore.CodeInfo(current.codeSha256(), current.codeSize()),
                      current.createdAt(),
                      now());
              return functions
                  .update(updated, null)
                  .then(event(updated, "updated"))
                  .as(tx::transactional)
                  .thenReturn(updated);
            })
        .doOnNext(f -> changed(serviceId, name));
  }

  /** Replaces the code of $LATEST. */
  public Mono<Function> updateCode(String serviceId, String name, byte[] zip) {
    CodeStore.CodeInfo info = code.inspect(zip);
    return require(serviceId, name, null)
        .flatMap(
            current -> {
              Function updated =
                  build(
                      current.tenantId(),
                      serviceId,
                      name,
                      Function.LATEST,
                      settings(current),
                      current.effectiveRuntime(),
                      info,
                      current.createdAt(),
                      now());
              return functions
                  .update(updated, zip)
                  .then(event(updated, "updated"))
                  .as(tx::transactional)
                  .thenReturn(updated);
            })
        .doOnNext(f -> changed(serviceId, name));
  }

  /** Publishes $LATEST as the next version number (Lambda's PublishVersion). */
  public Mono<Function> publish(String serviceId, String name, String description) {
    return require(serviceId, name, null)
        .zipWith(functions.lastVersion(serviceId, name))
        .flatMap(
            latestAndLast -> {
              Function latest = latestAndLast.getT1();
              String version = Integer.toString(latestAndLast.getT2() + 1);
              FunctionSettings settings = settings(latest);
              if (description != null) {
                settings =
                    new FunctionSettings(
                            null, null, null, description, null, null, null, null, null)
                        .merge(settings);
              }
              Function published =
                  build(
                      latest.tenantId(),
                      serviceId,
                      name,
                      version,
                      settings,
                      latest.effectiveRuntime(),
                      new CodeStore.CodeInfo(latest.codeSha256(), latest.codeSize()),
                      now(),
                      now());
              return functions
                  .code(serviceId, name, Function.LATEST)
                  .flatMap(zip -> functions.insert(published, zip))
                  .flatMap(
                      inserted ->
                          inserted
                              ? Mono.just(published)
                              : Mono.error(
                                  FunctionErrors.conflict(
                                      "Version " + version + " was published concurrently")))
                  .as(tx::transactional);
            });
  }

  /** Creates or moves an alias to a published version (or $LATEST). */
  public Mono<Void> putAlias(
      String serviceId, String name, String alias, String version, String description) {
    FunctionNames.checkAlias(alias);
    if (version == null || !FunctionNames.isVersion(version)) {
      throw FunctionErrors.invalidParameter("functionVersion must be $LATEST or a version number");
    }
    return require(serviceId, name, version)
        .then(
            functions.putAlias(
                serviceId, name, alias, version, description == null ? "" : description))
        .doOnSuccess(v -> changed(serviceId, name));
  }

  /** Deletes a function with its versions, aliases, queued invocations and metrics. */
  public Mono<Void> delete(String serviceId, String name) {
    return require(serviceId, name, null)
        .flatMap(
            function ->
                functions
                    .delete(serviceId, name)
                    .then(events.deleteFunction(serviceId, name))
                    .then(records.deleteFunction(serviceId, name))
                    .then(
                        Flux.fromIterable(deletions)
                            .concatMap(d -> d.functionDeleted(serviceId, name))
                            .then())
                    .then(event(function, "deleted"))
                    .as(tx::transactional))
        .doOnSuccess(v -> changed(serviceId, name));
  }

  /** Deletes every function of an instance (the instance was deleted). */
  public Mono<Void> deleteAll(String serviceId) {
    return functions
        .list(serviceId, Function.LATEST)
        .doOnNext(f -> sandbox.evict(serviceId, f.name()))
        .then(functions.deleteAll(serviceId))
        .doOnSuccess(v -> invokeTargets.forgetAll(serviceId))
        .then(events.deleteAll(serviceId))
        .then(records.deleteAll(serviceId))
        .then(Flux.fromIterable(deletions).concatMap(d -> d.instanceDeleted(serviceId)).then());
  }

  /** What the sandbox runs for a function version. */
  public Deployment deployment(Function f) {
    return new Deployment(
        f.revision().toString(),
        f.tenantId(),
        f.serviceId(),
        f.name(),
        f.version(),
        f.arn(region),
        f.effectiveRuntime(),
        f.handler(),
        f.codeSha256(),
        f.memoryMb(),
        Duration.ofSeconds(f.timeoutSeconds()),
        f.environment(),
        f.networkAllowed(),
        f.reservedConcurrency());
  }

  /** The code zip of a version, read when a sandbox needs it unpacked. */
  public Mono<byte[]> code(Function f) {
    return functions.code(f.serviceId(), f.name(), f.version());
  }

  /** Runtime processes kept warm for the function on this replica. */
  public int warm(String serviceId, String name) {
    return sandbox.warm(serviceId, name);
  }

  public String runtimeDescription(Function f) {
    return runtimes.description(f.effectiveRuntime());
  }

  private static FunctionSettings settings(Function f) {
    return new FunctionSettings(
        f.runtime(),
        f.handler(),
        f.role(),
        f.description(),
        f.timeoutSeconds(),
        f.memoryMb(),
        f.environment(),
        f.networkAllowed(),
        f.reservedConcurrency());
  }

  private static Function build(
      String tenantId,
      String serviceId,
      String name,
      String version,
      FunctionSettings s,
      String effectiveRuntime,
      CodeStore.CodeInfo code,
      Instant created,
      Instant modified) {
    return new Function(
        serviceId,
        tenantId,
        name,
        version,
        UUID.randomUUID(),
        s.runtime(),
        effectiveRuntime,
        s.handler(),
        s.role(),
        s.description(),
        s.timeoutSeconds(),
        s.memoryMb(),
        Map.copyOf(s.environment()),
        s.networkAllowed(),
        s.reservedConcurrency(),
        code.sha256(),
        code.size(),
        created,
        modified);
  }

  private Mono<Void> event(Function f, String verb) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("serviceId", f.serviceId());
    data.put("functionName", f.name());
    data.put("functionArn", f.arn(region));
    data.put("runtime", f.runtime());
    data.put("codeSha256", f.codeSha256());
    return outbox
        .appendForTenant(
            f.tenantId(), TOPIC, f.serviceId() + "/" + f.name(), "function", verb, data)
        .then();
  }

  private static Instant now() {
    return Instant.now().truncatedTo(ChronoUnit.MICROS);
  }
}
