package dev.cumulus.integration.sync.application;

import dev.cumulus.integration.inbound.application.IntegrationSources;
import dev.cumulus.integration.inbound.application.IntegrationSources.SyncTarget;
import dev.cumulus.integration.sync.config.SyncProperties;
import dev.cumulus.integration.sync.domain.SyncJob;
import dev.cumulus.integration.sync.persistence.SyncRepository;
import dev.cumulus.platform.schedule.PeriodicWork;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import tools.jackson.databind.ObjectMapper;

/**
 * Runs sync jobs page by page: each page's records are upserted by their source id and the cursor
 * advanced in one transaction, so a job is idempotent (a re-run updates, never duplicates) and
 * resumable (a job whose node died continues from its cursor once its lease runs out). A failed
 * page is retried after {@code retry-delay}, up to {@code max-attempts} in a row.
 */
@Component
class SyncRunner extends PeriodicWork {

  private static final Logger log = LoggerFactory.getLogger(SyncRunner.class);

  private final SyncRepository jobs;
  private final IntegrationSources sources;
  private final SyncSource source;
  private final TransactionalOperator tx;
  private final ObjectMapper json;
  private final SyncProperties properties;
  private final Sinks.Many<Boolean> wakeups = Sinks.many().multicast().directBestEffort();

  SyncRunner(
      SyncRepository jobs,
      IntegrationSources sources,
      SyncSource source,
      TransactionalOperator tx,
      ObjectMapper json,
      SyncProperties properties) {
    super("Claiming sync jobs");
    this.jobs = jobs;
    this.sources = sources;
    this.source = source;
    this.tx = tx;
    this.json = json;
    this.properties = properties;
  }

  void wake() {
    wakeups.tryEmitNext(true);
  }

  @Override
  protected Duration interval() {
    return properties.pollInterval();
  }

  @Override
  protected Flux<?> wakeups() {
    return wakeups.asFlux();
  }

  @Override
  protected Mono<Void> runOnce() {
    return jobs.claim(4, properties.lease()).flatMap(this::run, 4).then();
  }

  private Mono<Void> run(SyncJob job) {
    return sources
        .syncTarget(job.tenantId(), job.serviceId())
        .flatMap(target -> pages(job, target, job.cursor()))
        .onErrorResume(e -> failed(job, e));
  }

  private Mono<Void> pages(SyncJob job, SyncTarget target, int cursor) {
    int size = properties.pageSize();
    return source
        .page(target, job.syncType(), cursor, size)
        .flatMap(
            page ->
                Flux.fromIterable(page.records())
                    .concatMap(
                        record ->
                            jobs.upsert(
                                job.tenantId(),
                                job.serviceId(),
                                job.syncType(),
                                externalId(record),
                                json.writeValueAsString(record)))
                    .filter(changed -> changed)
                    .count()
                    .flatMap(
                        changed ->
                            jobs.progress(
                                job.id(),
                                page.records().size(),
                                changed.intValue(),
                                page.total(),
                                properties.lease()))
                    .as(tx::transactional)
                    .then(
                        Mono.defer(
                            () -> {
                              int next = cursor + page.records().size();
                              return page.records().size() < size || next >= page.total()
                                  ? jobs.completed(job.id())
                                  : pages(job, target, next);
                            })));
  }

  private Mono<Void> failed(SyncJob job, Throwable e) {
    String error = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    log.warn(
        "Sync job {} ({} from {}): page failed: {}",
        job.id(),
        job.syncType(),
        job.serviceName(),
        error);
    boolean lastTry = job.attempts() + 1 >= properties.maxAttempts();
    return jobs.failedPage(
        job.id(), error, lastTry ? null : Instant.now().plus(properties.retryDelay()));
  }

  /** The source's id of a record, or a digest of its content when it has none. */
  private String externalId(Map<String, Object> record) {
    Object id = record.get("id");
    if (id != null) {
      return id.toString();
    }
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(json.writeValueAsBytes(record));
      return "sha256:" + HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException impossible) {
      throw new IllegalStateException(impossible);
    }
  }
}
