package dev.cumulus.storage.instance.application;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.cumulus.platform.error.ApiException;
import dev.cumulus.platform.error.ErrorKind;
import dev.cumulus.storage.blob.domain.BlobStore;
import dev.cumulus.storage.instance.domain.StorageInstance;
import dev.cumulus.storage.instance.persistence.InstanceRepository;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;

/** The storage instances this service knows of, and who may reach them. */
@Service
public class InstanceService {

  private static final Logger log = LoggerFactory.getLogger(InstanceService.class);
  private static final Pattern SERVICE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

  private final InstanceRepository instances;
  private final BlobStore blobs;
  private final TransactionalOperator tx;

  /**
   * Live instances by service id: every request needs its instance, and a database round trip per
   * request for a row that changes once in its life was the largest single cost of small S3
   * requests. Entries expire after {@code cumulus.storage.instance-cache-ttl}, so an instance
   * deleted through another storage-service node stops being served within that time.
   */
  private final Cache<String, StorageInstance> live;

  public InstanceService(
      InstanceRepository instances,
      BlobStore blobs,
      TransactionalOperator tx,
      @Value("${cumulus.storage.instance-cache-ttl:5s}") Duration cacheTtl) {
    this.instances = instances;
    this.blobs = blobs;
    this.tx = tx;
    this.live = Caffeine.newBuilder().expireAfterWrite(cacheTtl).maximumSize(100_000).build();
  }

  /** Registers an instance announced by {@code service.created}. Idempotent. */
  public Mono<Void> register(String serviceId, String tenantId, String name) {
    if (serviceId == null || !SERVICE_ID.matcher(serviceId).matches() || tenantId == null) {
      log.warn("Ignoring storage instance with invalid ids: {} / {}", serviceId, tenantId);
      return Mono.empty();
    }
    return instances.insert(serviceId, tenantId, name == null ? serviceId : name).then();
  }

  /**
   * Removes an instance's buckets and objects, then its files. Called from the event consumer,
   * whose inbox transaction encloses both: if removing the files fails, the transaction rolls back
   * and the event is redelivered; files of an upload that races the removal fail their metadata
   * commit and are deleted by it, or are found unreferenced by the janitor.
   */
  public Mono<Void> remove(String serviceId) {
    if (serviceId == null || !SERVICE_ID.matcher(serviceId).matches()) {
      return Mono.empty();
    }
    return instances
        .markDeleted(serviceId)
        .as(tx::transactional)
        .doOnSuccess(v -> live.invalidate(serviceId))
        .then(blobs.deleteNamespace(serviceId))
        .doOnSuccess(v -> log.info("Storage instance {} removed with its data", serviceId));
  }

  /**
   * The live instance {@code serviceId} of {@code tenantId}; 404 when there is none (including one
   * of another tenant: its existence is not disclosed).
   */
  public Mono<StorageInstance> require(String tenantId, String serviceId) {
    StorageInstance cached = live.getIfPresent(serviceId);
    Mono<StorageInstance> found =
        cached != null
            ? Mono.just(cached)
            : instances
                .find(serviceId)
                .filter(i -> !i.deleted())
                .doOnNext(i -> live.put(serviceId, i));
    return found
        .filter(i -> i.tenantId().equals(tenantId))
        .switchIfEmpty(
            Mono.error(
                () ->
                    new ApiException(
                        ErrorKind.NOT_FOUND,
                        "Service instance not found",
                        "NoSuchService",
                        "No storage service '" + serviceId + "' in tenant '" + tenantId + "'",
                        Map.of(),
                        null)));
  }
}
