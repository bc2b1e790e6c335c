package dev.cumulus.storage.instance.web;

import dev.cumulus.platform.error.ApiException;
import dev.cumulus.platform.security.CumulusPrincipal;
import dev.cumulus.storage.bucket.application.BucketService;
import dev.cumulus.storage.bucket.domain.Bucket;
import dev.cumulus.storage.instance.application.InstanceService;
import dev.cumulus.storage.instance.domain.StorageInstance;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Defence in depth for {@code /api/s3storage/{tenantId}/{serviceId}/**}: the gateway already checks
 * tenancy, and this service checks again against the verified token. The path tenant must be the
 * caller's (unless a platform admin), an instance-bound API key reaches only its instance, and the
 * instance must exist in that tenant. Objects of a public bucket may also be read without a token.
 */
@Component
public class InstanceAccess {

  private final InstanceService instances;
  private final BucketService buckets;

  public InstanceAccess(InstanceService instances, BucketService buckets) {
    this.instances = instances;
    this.buckets = buckets;
  }

  public Mono<StorageInstance> require(String tenantId, String serviceId) {
    return CumulusPrincipal.current()
        .doOnNext(principal -> principal.requireInstanceAccess(tenantId, serviceId))
        .then(instances.require(tenantId, serviceId));
  }

  /**
   * For reading one object: an authenticated caller as in {@link #require}; a caller without a
   * token (let through on {@code cumulus.security.anonymous-read-paths}) only when the bucket is
   * public. Anything else is the same 401 whether the instance or bucket exists or not.
   */
  public Mono<StorageInstance> requireReader(String tenantId, String serviceId, String bucket) {
    return CumulusPrincipal.currentIfAuthenticated()
        .map(
            principal -> {
              principal.requireInstanceAccess(tenantId, serviceId);
              return principal;
            })
        .hasElement()
        .flatMap(
            authenticated ->
                authenticated
                    ? instances.require(tenantId, serviceId)
                    : publicBucketOwner(tenantId, serviceId, bucket));
  }

  private Mono<StorageInstance> publicBucketOwner(
      String tenantId, String serviceId, String bucket) {
    return instances
        .require(tenantId, serviceId)
        .filterWhen(instance -> buckets.requireRecent(instance, bucket).map(Bucket::publicAccess))
        .onErrorResume(ApiException.class, hidden -> Mono.empty())
        .switchIfEmpty(Mono.error(() -> ApiException.unauthorized("Authentication required")));
  }
}
