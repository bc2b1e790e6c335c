package dev.cumulus.storage.encryption.application;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.cumulus.platform.crypto.MasterKey;
import dev.cumulus.storage.blob.encryption.DataKeys;
import dev.cumulus.storage.encryption.persistence.TenantKeyRepository;
import java.security.SecureRandom;
import java.time.Duration;
import reactor.core.publisher.Mono;

/**
 * One random 256-bit data key per tenant, created on first use and stored wrapped by the master
 * key. Two replicas may race to create it: both insert with ON CONFLICT DO NOTHING and then read,
 * so both use the one that won. Unwrapped keys stay in memory for a bounded time only.
 */
public class TenantKeys implements DataKeys {

  private static final SecureRandom RANDOM = new SecureRandom();

  private final TenantKeyRepository keys;
  private final MasterKey masterKey;
  private final AsyncCache<String, byte[]> cache;

  public TenantKeys(TenantKeyRepository keys, MasterKey masterKey, Duration cacheTtl) {
    this.keys = keys;
    this.masterKey = masterKey;
    this.cache = Caffeine.newBuilder().expireAfterWrite(cacheTtl).maximumSize(10_000).buildAsync();
  }

  @Override
  public Mono<byte[]> of(String tenantId) {
    // One load per tenant at a time; a failed load is not cached. suppressCancel: a cancelled
    // reader must not cancel the load the others wait for.
    return Mono.fromFuture(
        () -> cache.get(tenantId, (tenant, executor) -> load(tenant).toFuture()), true);
  }

  private Mono<byte[]> load(String tenantId) {
    return keys.find(tenantId)
        .switchIfEmpty(
            Mono.defer(
                () -> {
                  byte[] fresh = new byte[32];
                  RANDOM.nextBytes(fresh);
                  return keys.insertIfAbsent(tenantId, masterKey.encrypt(fresh, aad(tenantId)))
                      .then(keys.find(tenantId));
                }))
        .map(wrapped -> masterKey.decrypt(wrapped, aad(tenantId)));
  }

  /** Binds a wrapped key to its tenant. */
  public static String aad(String tenantId) {
    return "cumulus-storage-tenant-key:" + tenantId;
  }
}
