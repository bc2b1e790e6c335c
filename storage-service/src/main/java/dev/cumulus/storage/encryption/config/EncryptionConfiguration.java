package dev.cumulus.storage.encryption.config;

import dev.cumulus.platform.crypto.MasterKey;
import dev.cumulus.platform.crypto.MasterKeyLoader;
import dev.cumulus.platform.crypto.MasterKeyRotation;
import dev.cumulus.platform.crypto.SealedColumn;
import dev.cumulus.storage.blob.domain.BlobStore;
import dev.cumulus.storage.blob.encryption.EncryptingBlobStore;
import dev.cumulus.storage.config.StorageProperties;
import dev.cumulus.storage.encryption.application.TenantKeys;
import dev.cumulus.storage.encryption.persistence.TenantKeyRepository;
import java.util.List;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.core.env.Environment;
import org.springframework.core.env.Profiles;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.scheduler.Scheduler;

/**
 * Encryption at rest: the storage master key ({@code cumulus.storage.master-key}, env {@code
 * CUMULUS_STORAGE_MASTER_KEY}; the dev profile generates {@code <data-dir>/master-key}), tenants'
 * data keys, and the blob store every service uses, which encrypts on request.
 */
@Configuration(proxyBeanMethods = false)
public class EncryptionConfiguration {

  private static final MasterKeyLoader LOADER =
      new MasterKeyLoader(
          "storage-service",
          "encrypt object data at rest",
          "cumulus.storage.master-key",
          "CUMULUS_STORAGE_MASTER_KEY");

  @Bean
  MasterKey storageMasterKey(StorageProperties properties, Environment environment) {
    return LOADER.load(
        properties.masterKey(),
        properties.previousMasterKeys(),
        properties.dataDir().resolve("master-key"),
        environment.acceptsProfiles(Profiles.of("dev")));
  }

  /** Wraps tenants' data keys again under the current master key once previous ones are set. */
  @Bean
  MasterKeyRotation masterKeyRotation(MasterKey storageMasterKey, DatabaseClient db) {
    return new MasterKeyRotation(
        storageMasterKey, LOADER.previousEnvironmentVariable(), List.of(tenantKeyColumn(db)));
  }

  /** Where tenants' data keys are kept, wrapped by the master key. */
  public static SealedColumn tenantKeyColumn(DatabaseClient db) {
    return new SealedColumn(
        db, "tenant data keys", "storage_tenant_keys", "tenant_id", "wrapped_key", TenantKeys::aad);
  }

  @Bean
  TenantKeys tenantKeys(
      TenantKeyRepository repository, MasterKey storageMasterKey, StorageProperties properties) {
    return new TenantKeys(repository, storageMasterKey, properties.dataKeyCacheTtl());
  }

  /** Wraps the backend's store (files or S3): the one {@code BlobStore} the services get. */
  @Bean
  @Primary
  EncryptingBlobStore encryptingBlobStore(
      @Qualifier("backendBlobStore") BlobStore blobStore,
      TenantKeys tenantKeys,
      Scheduler storageIoScheduler) {
    return new EncryptingBlobStore(blobStore, tenantKeys, storageIoScheduler);
  }
}
