package dev.cumulus.storage.quota.application;

import com.github.benmanes.caffeine.cache.AsyncLoadingCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import dev.cumulus.platform.authclient.AuthServiceClient;
import dev.cumulus.platform.authclient.AuthServiceUnavailableException;
import dev.cumulus.platform.error.ErrorKind;
import dev.cumulus.storage.common.StorageErrors;
import dev.cumulus.storage.quota.domain.StorageQuota;
import dev.cumulus.storage.quota.domain.TenantUsage;
import dev.cumulus.storage.quota.persistence.TenantUsageRepository;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A tenant's storage limits, from auth-service ({@code GET /internal/tenants/{id}/quota}), reused
 * for {@code cumulus.storage.quota.cache-ttl} (30 s), then refreshed in the background by the next
 * request that asks: writers never wait for auth-service once a tenant's limits are known, and an
 * unused tenant's limits are dropped after {@link #STALE_FACTOR} times that. Each fetch also
 * records the limits in the tenant's usage row, where the usage triggers check every write against
 * them in its own transaction (migration V10); the checks here only refuse early what cannot fit.
 *
 * <p>When auth-service cannot answer, the limits last recorded are used (they survive restarts); a
 * tenant whose limits were never fetched cannot write until auth-service answers: writes fail
 * closed with 503, reads and deletes never ask.
 */
@Service
@EnableConfigurationProperties(QuotaProperties.class)
public class TenantQuotas {

  private static final Logger log = LoggerFactory.getLogger(TenantQuotas.class);

  /** Fresh limits are kept this many cache-ttls (refreshed after one) before they must reload. */
  static final int STALE_FACTOR = 4;

  /** Limits and whether they come from auth-service just now (else: the last recorded ones). */
  private record Answer(StorageQuota quota, boolean fresh) {}

  private final AuthServiceClient authService;
  private final TenantUsageRepository usage;
  private final AsyncLoadingCache<String, Answer> cache;

  public TenantQuotas(
      AuthServiceClient authService, TenantUsageRepository usage, QuotaProperties properties) {
    this.authService = authService;
    this.usage = usage;
    this.cache =
        Caffeine.newBuilder()
            .maximumSize(100_000)
            .refreshAfterWrite(properties.cacheTtl())
            .expireAfter(
                Expiry.<String, Answer>writing(
                    (tenant, answer) ->
                        answer.fresh()
                            ? properties.cacheTtl().multipliedBy(STALE_FACTOR)
                            : properties.fallbackTtl()))
            .buildAsync((tenant, executor) -> fetch(tenant).toFuture());
  }

  /** The tenant's limits; fails with 503 when none can be known. */
  public Mono<StorageQuota> of(String tenantId) {
    // A failed fetch completes exceptionally and is not cached.
    return Mono.fromFuture(cache.get(tenantId), true).map(Answer::quota);
  }

  /** What the tenant holds now (committed writes). */
  public Mono<TenantUsage> usage(String tenantId) {
    return usage.usage(tenantId);
  }

  /**
   * The limits for a write of {@code declaredSize} bytes (-1: not known before the bytes arrive):
   * refused at once when the size alone is above the largest object or the whole quota.
   */
  public Mono<StorageQuota> forWrite(String tenantId, long declaredSize) {
    return of(tenantId)
        .flatMap(
            quota -> {
              if (declaredSize > quota.maxObjectBytes()) {
                return Mono.error(QuotaErrors.entityTooLarge(quota.maxObjectBytes()));
              }
              if (declaredSize > quota.storedBytes()) {
                return Mono.error(QuotaErrors.storedBytesExceeded(quota.storedBytes()));
              }
              return Mono.just(quota);
            });
  }

  /**
   * For a multipart part: refused at once while the tenant already holds its quota's worth, stored
   * or parked in open uploads; the part's own bytes are checked when it is recorded (migration
   * V11's trigger).
   */
  public Mono<StorageQuota> forPart(String tenantId) {
    return of(tenantId)
        .zipWith(usage.usage(tenantId))
        .flatMap(
            t ->
                t.getT2().quotaBytes() >= t.getT1().storedBytes()
                    ? Mono.error(QuotaErrors.storedBytesExceeded(t.getT1().storedBytes()))
                    : Mono.just(t.getT1()));
  }

  /**
   * {@code content}, failing with EntityTooLarge as soon as more than {@code max} bytes have
   * arrived (a chunked body declares no length): what was stored of it is then discarded by the
   * blob store, as for any failed upload.
   */
  public static Flux<DataBuffer> capped(Flux<DataBuffer> content, long max) {
    return Flux.defer(
        () -> {
          AtomicLong seen = new AtomicLong();
          return content.handle(
              (buffer, sink) -> {
                if (seen.addAndGet(buffer.readableByteCount()) > max) {
                  DataBufferUtils.release(buffer);
                  sink.error(QuotaErrors.entityTooLarge(max));
                } else {
                  sink.next(buffer);
                }
              });
        });
  }

  private Mono<Answer> fetch(String tenantId) {
    return authService
        .tenantQuota(tenantId)
        .flatMap(
            found ->
                found.isPresent()
                    ? Mono.just(StorageQuota.of(found.get().quotas()))
                    : Mono.error(
                        StorageErrors.of(
                            ErrorKind.FORBIDDEN,
                            "AccessDenied",
                            "Access Denied",
                            "auth-service knows no tenant " + tenantId)))
        .flatMap(quota -> usage.saveLimits(tenantId, quota).thenReturn(new Answer(quota, true)))
        .onErrorResume(
            AuthServiceUnavailableException.class,
            e -> {
              log.warn(
                  "Cannot fetch the quota of tenant {} from auth-service: {}",
                  tenantId,
                  e.getMessage());
              return usage
                  .lastKnownLimits(tenantId)
                  .map(quota -> new Answer(quota, false))
                  .switchIfEmpty(Mono.error(QuotaErrors::unavailable));
            });
  }
}
