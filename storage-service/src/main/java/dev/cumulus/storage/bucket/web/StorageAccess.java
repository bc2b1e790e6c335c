package dev.cumulus.storage.bucket.web;

import dev.cumulus.platform.error.ApiException;
import dev.cumulus.platform.instance.Instance;
import dev.cumulus.platform.instance.InstanceAccess;
import dev.cumulus.platform.instance.InstanceRegistry;
import dev.cumulus.platform.security.CumulusPrincipal;
import dev.cumulus.storage.bucket.application.BucketService;
import dev.cumulus.storage.bucket.domain.Bucket;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Who may reach {@code /api/s3storage/{tenantId}/{serviceId}/**}: as for every instance (platform's
 * {@link InstanceAccess}: the caller's tenant, an instance-bound API key only its instance, the
 * instance ready in that tenant), and, for reading one object, also a caller without a token when
 * the bucket is public.
 */
@Component
public class StorageAccess {

  private final InstanceAccess access;
  private final InstanceRegistry instances;
  private final BucketService buckets;

  public StorageAccess(InstanceAccess access, InstanceRegistry instances, BucketService buckets) {
    this.access = access;
    this.instances = instances;
    this.buckets = buckets;
  }

  public Mono<Instance> require(String tenantId, String serviceId) {
    return access.require(tenantId, serviceId);
  }

  /**
   * For reading one object: an authenticated caller as in {@link #require}; a caller without a
   * token (let through on {@code cumulus.security.anonymous-read-paths}) only when the bucket is
   * public. Anything else is the same 401 whether the instance or bucket exists or not.
   */
  public Mono<Instance> requireReader(String tenantId, String serviceId, String bucket) {
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

  private Mono<Instance> publicBucketOwner(String tenantId, String serviceId, String bucket) {
    return instances
        .require(tenantId, serviceId)
        .filterWhen(instance -> buckets.requireRecent(instance, bucket).map(Bucket::publicAccess))
        .onErrorResume(ApiException.class, hidden -> Mono.empty())
        .switchIfEmpty(Mono.error(() -> ApiException.unauthorized("Authentication required")));
  }
}
