package dev.cumulus.storage.bucket.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.cumulus.storage.bucket.application.BucketService;
import dev.cumulus.storage.bucket.application.BucketService.NewBucket;
import dev.cumulus.storage.bucket.domain.Bucket;
import dev.cumulus.storage.bucket.domain.BucketStats;
import dev.cumulus.storage.quota.application.TenantQuotas;
import dev.cumulus.storage.quota.domain.StorageQuota;
import dev.cumulus.storage.quota.domain.TenantUsage;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** Seed 000 buckets and usage: {@code /api/s3storage/{tenantId}/{serviceId}/...}. */
@RestController
@RequestMapping("/api/s3storage/{tenantId}/{serviceId}")
public class BucketController {

  private final StorageAccess access;
  private final BucketService buckets;

  private final TenantQuotas quotas;

  public BucketController(StorageAccess access, BucketService buckets, TenantQuotas quotas) {
    this.access = access;
    this.buckets = buckets;
    this.quotas = quotas;
  }

  /** Seed request body; unknown fields are ignored, the flags default to false. */
  public record CreateBucketRequest(
      @NotNull String name, Boolean versioning, Boolean encryption, Boolean publicAccess) {}

  /** A bucket; the counts appear in the details and create answers, not in the list. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record BucketView(
      String name,
      boolean versioning,
      boolean encryption,
      boolean publicAccess,
      Instant createdAt,
      Long objectCount,
      Long totalBytes) {

    static BucketView of(Bucket b, BucketStats stats) {
      return new BucketView(
          b.name(),
          b.versioning(),
          b.encryption(),
          b.publicAccess(),
          b.createdAt(),
          stats == null ? null : stats.objectCount(),
          stats == null ? null : stats.totalBytes());
    }
  }

  public record BucketList(List<BucketView> buckets, int count) {}

  /**
   * The instance's usage (current objects, as before) and its tenant's across all its s3storage
   * instances, with the tenant's limits ({@code null} while they cannot be known).
   */
  public record UsageView(
      String tenantId,
      String serviceId,
      long bucketCount,
      long objectCount,
      long totalBytes,
      TenantUsage tenant,
      @JsonInclude(JsonInclude.Include.ALWAYS) Map<String, Long> quotas) {}

  @GetMapping("/buckets")
  Mono<BucketList> list(@PathVariable String tenantId, @PathVariable String serviceId) {
    return access
        .require(tenantId, serviceId)
        .flatMapMany(buckets::list)
        .map(b -> BucketView.of(b, null))
        .collectList()
        .map(views -> new BucketList(views, views.size()));
  }

  @PostMapping("/buckets")
  @ResponseStatus(HttpStatus.CREATED)
  Mono<BucketView> create(
      @PathVariable String tenantId,
      @PathVariable String serviceId,
      @Valid @RequestBody CreateBucketRequest body) {
    NewBucket request =
        new NewBucket(
            body.name(),
            Boolean.TRUE.equals(body.versioning()),
            Boolean.TRUE.equals(body.encryption()),
            Boolean.TRUE.equals(body.publicAccess()));
    return access
        .require(tenantId, serviceId)
        .flatMap(instance -> buckets.create(instance, request))
        .map(b -> BucketView.of(b, new BucketStats(1, 0, 0)));
  }

  @GetMapping("/buckets/{bucket}")
  Mono<BucketView> get(
      @PathVariable String tenantId, @PathVariable String serviceId, @PathVariable String bucket) {
    return access
        .require(tenantId, serviceId)
        .flatMap(instance -> buckets.require(instance, bucket))
        .flatMap(b -> buckets.stats(b).map(stats -> BucketView.of(b, stats)));
  }

  @DeleteMapping("/buckets/{bucket}")
  @ResponseStatus(HttpStatus.NO_CONTENT)
  Mono<Void> delete(
      @PathVariable String tenantId, @PathVariable String serviceId, @PathVariable String bucket) {
    return access
        .require(tenantId, serviceId)
        .flatMap(instance -> buckets.delete(instance, bucket));
  }

  @GetMapping("/usage")
  Mono<UsageView> usage(@PathVariable String tenantId, @PathVariable String serviceId) {
    return access
        .require(tenantId, serviceId)
        .flatMap(
            instance ->
                Mono.zip(
                        buckets.usage(instance),
                        quotas.usage(instance.tenantId()),
                        quotas
                            .of(instance.tenantId())
                            .map(StorageQuota::byName)
                            .map(Optional::of)
                            .onErrorReturn(Optional.empty()))
                    .map(
                        t ->
                            new UsageView(
                                instance.tenantId(),
                                instance.serviceId(),
                                t.getT1().bucketCount(),
                                t.getT1().objectCount(),
                                t.getT1().totalBytes(),
                                t.getT2(),
                                t.getT3().orElse(null))));
  }
}
