package dev.cumulus.storage.lifecycle.web;

import dev.cumulus.storage.bucket.web.StorageAccess;
import dev.cumulus.storage.lifecycle.application.LifecycleService;
import dev.cumulus.storage.lifecycle.web.LifecycleJson.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * A bucket's lifecycle rules as JSON ({@link LifecycleJson}): {@code
 * /api/s3storage/{tenantId}/{serviceId}/buckets/{bucket}/lifecycle}. The same rules, checks and
 * storage as S3's {@code ?lifecycle} ({@link LifecycleService}): what one side puts the other
 * reads.
 */
@RestController
@RequestMapping("/api/s3storage/{tenantId}/{serviceId}/buckets/{bucket}/lifecycle")
public class LifecycleController {

  private final StorageAccess access;
  private final LifecycleService lifecycle;

  LifecycleController(StorageAccess access, LifecycleService lifecycle) {
    this.access = access;
    this.lifecycle = lifecycle;
  }

  /** The rules; 404 {@code NoSuchLifecycleConfiguration} when the bucket has none. */
  @GetMapping
  Mono<Configuration> get(
      @PathVariable String tenantId, @PathVariable String serviceId, @PathVariable String bucket) {
    return access
        .require(tenantId, serviceId)
        .flatMap(instance -> lifecycle.get(instance, bucket))
        .map(LifecycleJson::fromDomain);
  }

  /** Replaces the rules; answers them as stored (generated ids included). */
  @PutMapping
  Mono<Configuration> put(
      @PathVariable String tenantId,
      @PathVariable String serviceId,
      @PathVariable String bucket,
      @RequestBody Configuration body) {
    return access
        .require(tenantId, serviceId)
        .flatMap(
            instance -> {
              var rules = LifecycleJson.toDomain(body);
              return lifecycle
                  .put(instance, bucket, rules)
                  .thenReturn(LifecycleJson.fromDomain(rules));
            });
  }

  @DeleteMapping
  @ResponseStatus(HttpStatus.NO_CONTENT)
  Mono<Void> delete(
      @PathVariable String tenantId, @PathVariable String serviceId, @PathVariable String bucket) {
    return access
        .require(tenantId, serviceId)
        .flatMap(instance -> lifecycle.delete(instance, bucket));
  }
}
