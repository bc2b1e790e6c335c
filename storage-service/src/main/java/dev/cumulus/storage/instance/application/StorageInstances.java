package dev.cumulus.storage.instance.application;

import dev.cumulus.platform.instance.Instance;
import dev.cumulus.platform.instance.InstanceProvisioner;
import dev.cumulus.storage.blob.domain.BlobStore;
import dev.cumulus.storage.bucket.application.BucketService;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * What an s3storage instance needs from the platform's instance registry: nothing to create (its
 * buckets come later), and on deletion its buckets, objects and files removed. Both run in the
 * inbox transaction of the event: if removing the files fails, the transaction rolls back and
 * {@code service.deleted} is delivered again; files of an upload that races the removal fail their
 * metadata commit and are deleted by it, or are found unreferenced by the janitor.
 */
@Component
public class StorageInstances implements InstanceProvisioner {

  private final BucketService buckets;
  private final BlobStore blobs;

  public StorageInstances(BucketService buckets, BlobStore blobs) {
    this.buckets = buckets;
    this.blobs = blobs;
  }

  @Override
  public Mono<Void> provision(Instance instance) {
    return Mono.empty();
  }

  @Override
  public Mono<Void> deprovision(Instance instance) {
    return buckets.deleteAllOf(instance).then(blobs.deleteNamespace(instance.serviceId()));
  }
}
