package dev.cumulus.storage.lifecycle.application;

import dev.cumulus.platform.error.ApiException;
import dev.cumulus.platform.error.ErrorKind;
import dev.cumulus.platform.instance.Instance;
import dev.cumulus.platform.instance.InstanceRegistry;
import dev.cumulus.storage.lifecycle.domain.LifecycleRule;
import dev.cumulus.storage.lifecycle.persistence.LifecycleRepository;
import dev.cumulus.storage.lifecycle.persistence.LifecycleRepository.Target;
import dev.cumulus.storage.multipart.application.MultipartService;
import dev.cumulus.storage.object.application.ObjectDeleter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Applies every bucket's lifecycle rules once per {@link #run}: expires current versions (a delete
 * marker in a versioned bucket), removes lone delete markers and expired noncurrent versions for
 * good, and aborts stale multipart uploads. Everything goes through {@link ObjectDeleter} and
 * {@link MultipartService}, so bytes, outbox events and versioning behave as for a client's
 * request. Buckets are leased one at a time (several instances may run this), read in pages, and a
 * failing bucket is logged and skipped.
 */
public class LifecycleWorker {

  /** Rows per read: each page is acted on before the next is read. */
  static final int PAGE = 200;

  private static final Logger log = LoggerFactory.getLogger(LifecycleWorker.class);

  private final LifecycleRepository repository;
  private final InstanceRegistry instances;
  private final ObjectDeleter objects;
  private final MultipartService multipart;
  private final Clock clock;
  private final Duration lease;
  private final String owner = "lifecycle-" + UUID.randomUUID();

  public LifecycleWorker(
      LifecycleRepository repository,
      InstanceRegistry instances,
      ObjectDeleter objects,
      MultipartService multipart,
      Clock clock,
      Duration lease) {
    this.clock = clock;
    this.repository = repository;
    this.instances = instances;
    this.objects = objects;
    this.multipart = multipart;
    this.lease = lease;
  }

  /** What one pass did. */
  public record Report(
      int buckets,
      int failedBuckets,
      long expired,
      long deleteMarkersRemoved,
      long noncurrentRemoved,
      long uploadsAborted) {

    static final Report NONE = new Report(0, 0, 0, 0, 0, 0);

    Report plus(Report other) {
      return new Report(
          buckets + other.buckets,
          failedBuckets + other.failedBuckets,
          expired + other.expired,
          deleteMarkersRemoved + other.deleteMarkersRemoved,
          noncurrentRemoved + other.noncurrentRemoved,
          uploadsAborted + other.uploadsAborted);
    }
  }

  /** One pass, at the worker's clock's current instant. */
  public Mono<Report> run() {
    return run(clock);
  }

  /** One pass over every bucket with rules, judging ages at the clock's current instant. */
  public Mono<Report> run(Clock clock) {
    Instant now = clock.instant();
    long started = System.nanoTime();
    return targets(new UUID(0, 0))
        .concatMap(target -> runLeased(target, now))
        .reduce(Report.NONE, Report::plus)
        .doOnNext(
            report -> {
              if (report.buckets() > 0) {
                log.info(
                    "Lifecycle pass at {} took {} ms: {}",
                    now,
                    (System.nanoTime() - started) / 1_000_000,
                    report);
              }
            });
  }

  private Flux<Target> targets(UUID after) {
    return repository
        .targets(after, PAGE)
        .collectList()
        .flatMapMany(
            page ->
                page.size() < PAGE
                    ? Flux.fromIterable(page)
                    : Flux.fromIterable(page)
                        .concatWith(Flux.defer(() -> targets(page.getLast().bucketId()))));
  }

  private Mono<Report> runLeased(Target target, Instant now) {
    return repository
        .lease(target.bucketId(), owner, lease)
        .flatMap(
            leased ->
                !leased
                    ? Mono.just(Report.NONE)
                    : instances
                        .require(target.tenantId(), target.serviceId())
                        .flatMap(instance -> apply(instance, target, now))
                        .onErrorResume(
                            error -> {
                              log.warn(
                                  "Lifecycle rules of bucket {} ({}) failed; the next pass retries",
                                  target.bucket(),
                                  target.bucketId(),
                                  error);
                              return Mono.just(new Report(1, 1, 0, 0, 0, 0));
                            })
                        .flatMap(
                            report ->
                                repository.release(target.bucketId(), owner).thenReturn(report)))
        .onErrorResume(
            error -> {
              log.warn("Lifecycle lease on bucket {} failed", target.bucketId(), error);
              return Mono.just(new Report(1, 1, 0, 0, 0, 0));
            });
  }

  private Mono<Report> apply(Instance instance, Target target, Instant now) {
    if (target.configuration() == null) {
      return Mono.error(new IllegalStateException("The stored lifecycle rules cannot be read"));
    }
    List<LifecycleRule> rules =
        target.configuration().rules().stream().filter(LifecycleRule::enabled).toList();
    return Flux.fromIterable(rules)
        .concatMap(rule -> apply(instance, target, rule, now))
        .reduce(new Report(1, 0, 0, 0, 0, 0), Report::plus);
  }

  private Mono<Report> apply(Instance instance, Target target, LifecycleRule rule, Instant now) {
    UUID bucketId = target.bucketId();
    String bucket = target.bucket();
    Mono<Long> expired =
        rule.currentVersionCutoff(now)
            .map(
                cutoff ->
                    drain(
                        "",
                        after -> repository.expiredCurrentKeys(bucketId, rule, cutoff, after, PAGE),
                        Function.identity(),
                        key ->
                            objects.expire(
                                instance,
                                bucket,
                                key,
                                cutoff,
                                current ->
                                    rule.matches(current.key(), current.size(), current.tags()))))
            .orElse(Mono.just(0L));
    Mono<Long> markers =
        !rule.removesExpiredDeleteMarkers()
            ? Mono.just(0L)
            : drain(
                "",
                after -> repository.loneDeleteMarkers(bucketId, rule.prefix(), after, PAGE),
                LifecycleRepository.VersionRef::key,
                marker -> objects.delete(instance, bucket, marker.key(), marker.versionId()));
    Mono<Long> noncurrent =
        rule.noncurrentCutoff(now)
            .map(
                cutoff ->
                    drain(
                        "",
                        after ->
                            repository.noncurrentCandidateKeys(bucketId, rule, cutoff, after, PAGE),
                        Function.identity(),
                        keys ->
                            repository.expiredNoncurrent(
                                bucketId, rule, keys, cutoff, rule.noncurrentExpiration().keep()),
                        version ->
                            objects.delete(instance, bucket, version.key(), version.versionId())))
            .orElse(Mono.just(0L));
    Mono<Long> uploads =
        rule.incompleteUploadCutoff(now)
            .map(
                cutoff ->
                    drain(
                        "",
                        after ->
                            repository.staleUploads(bucketId, rule.prefix(), cutoff, after, PAGE),
                        LifecycleRepository.UploadRef::uploadId,
                        upload ->
                            multipart.abort(instance, bucket, upload.key(), upload.uploadId())))
            .orElse(Mono.just(0L));
    // One action after the other: a marker written by expiry is not also removed in this pass.
    return expired.flatMap(
        e ->
            markers.flatMap(
                m -> noncurrent.flatMap(n -> uploads.map(u -> new Report(0, 0, e, m, n, u)))));
  }

  /** Reads pages after a cursor and acts on each entry; emits how many entries were acted on. */
  private <T> Mono<Long> drain(
      String after,
      Function<String, Flux<T>> page,
      Function<T, String> cursor,
      Function<T, Mono<?>> action) {
    return drain(after, page, cursor, Flux::fromIterable, action);
  }

  /**
   * The general walk: a page of entries (read after the last one's cursor) expands to the items to
   * act on, e.g. a page of keys to their expired versions. A page is done before the next is read.
   */
  private <T, I> Mono<Long> drain(
      String after,
      Function<String, Flux<T>> page,
      Function<T, String> cursor,
      Function<List<T>, Flux<I>> items,
      Function<I, Mono<?>> action) {
    return page.apply(after)
        .collectList()
        .flatMap(
            entries -> {
              if (entries.isEmpty()) {
                return Mono.just(0L);
              }
              Mono<Long> done =
                  items
                      .apply(entries)
                      .concatMap(
                          item ->
                              action
                                  .apply(item)
                                  .then(Mono.just(1L))
                                  .onErrorResume(LifecycleWorker::raced, e -> Mono.just(0L)))
                      .reduce(0L, Long::sum);
              if (entries.size() < PAGE) {
                return done;
              }
              String next = cursor.apply(entries.getLast());
              return done.flatMap(n -> drain(next, page, cursor, items, action).map(m -> n + m));
            });
  }

  /**
   * A client deleted or aborted the same thing meanwhile: nothing left to do for it. Or Object Lock
   * protects the version (given a retention or legal hold since it was found): it stays, as AWS's
   * lifecycle leaves locked versions.
   */
  private static boolean raced(Throwable error) {
    return error instanceof ApiException api
        && (api.kind() == ErrorKind.NOT_FOUND || api.kind() == ErrorKind.FORBIDDEN);
  }
}
