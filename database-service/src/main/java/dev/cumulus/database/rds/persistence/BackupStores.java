package dev.cumulus.database.rds.persistence;

import dev.cumulus.database.rds.config.RdsProperties;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * The configured backup stores: new backups go to {@link #current()} ({@code
 * cumulus.rds.backup-store.type}); an existing backup is read from the store its row names, so
 * backups taken before a switch to a bucket still restore from the local directory.
 */
@Component
public class BackupStores {

  private final Map<String, BackupStore> byName = new LinkedHashMap<>();
  private final BackupStore current;

  public BackupStores(List<BackupStore> stores, RdsProperties properties) {
    stores.forEach(store -> byName.put(store.name(), store));
    String wanted = properties.backupStore().isS3() ? S3BackupStore.NAME : LocalBackupStore.NAME;
    this.current = byName.get(wanted);
    if (current == null) {
      throw new IllegalStateException(
          "cumulus.rds.backup-store.type is '"
              + properties.backupStore().type()
              + "': no such backup store (local or s3)");
    }
  }

  /** Where new backups are written. */
  public BackupStore current() {
    return current;
  }

  /** The store a backup's row names; empty when that store is not configured any more. */
  public Optional<BackupStore> named(String name) {
    return Optional.ofNullable(byName.get(name));
  }
}
