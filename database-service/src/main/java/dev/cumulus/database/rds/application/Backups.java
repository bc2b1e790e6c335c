package dev.cumulus.database.rds.application;

import dev.cumulus.database.rds.domain.Backup;
import dev.cumulus.database.rds.domain.BackupCipher;
import dev.cumulus.database.rds.persistence.BackupRepository;
import dev.cumulus.database.rds.persistence.BackupStore;
import dev.cumulus.database.rds.persistence.BackupStores;
import dev.cumulus.platform.crypto.MasterKey;
import dev.cumulus.platform.error.ApiException;
import dev.cumulus.platform.error.ErrorKind;
import dev.cumulus.platform.instance.Instance;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Logical backups: pg_dump's output streamed through gzip and AES-256-GCM chunks (BackupCipher,
 * under the backup's own data key sealed by the master key) into the configured backup store (a
 * directory or an S3 bucket; never held in memory), the SHA-256 of the stored bytes recorded;
 * restore checks that hash, then feeds the object back through psql into the same instance or
 * another of the tenant's (a branch). A backup is taken in the background: {@code creating}, then
 * {@code available} or {@code failed}, each end an event.
 */
@Component
public class Backups {

  private static final Logger log = LoggerFactory.getLogger(Backups.class);
  private static final int MAX_RETENTION_DAYS = 3650;

  private final BackupRepository repository;
  private final BackupStores stores;
  private final MasterKey masterKey;
  private final PgTools tools;
  private final RdsEvents events;
  private final TransactionalOperator tx;

  public Backups(
      BackupRepository repository,
      BackupStores stores,
      MasterKey rdsMasterKey,
      PgTools tools,
      RdsEvents events,
      TransactionalOperator tx) {
    this.repository = repository;
    this.stores = stores;
    this.masterKey = rdsMasterKey;
    this.tools = tools;
    this.events = events;
    this.tx = tx;
  }

  public Flux<Backup> list(Instance instance) {
    return repository.list(instance.serviceId());
  }

  public Mono<Backup> find(Instance instance, UUID id) {
    return repository
        .find(instance.serviceId(), id)
        .switchIfEmpty(Mono.error(() -> ApiException.notFound("Backup " + id + " not found")));
  }

  /** Records the backup as {@code creating} and starts the dump; login: the instance's role. */
  public Mono<Backup> create(
      Instance instance, int retentionDays, Mono<RdsInstances.Credentials> login) {
    if (retentionDays < 1 || retentionDays > MAX_RETENTION_DAYS) {
      return Mono.error(
          ApiException.badRequest("retentionDays must be between 1 and " + MAX_RETENTION_DAYS));
    }
    UUID id = UUID.randomUUID();
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    byte[] dataKey = BackupCipher.newDataKey();
    byte[] sealedKey = masterKey.encrypt(dataKey, BackupCipher.keyContext(id.toString()));
    Arrays.fill(dataKey, (byte) 0);
    Backup backup =
        new Backup(
            id,
            instance.serviceId(),
            instance.tenantId(),
            Backup.CREATING,
            location(instance.serviceId(), id.toString()),
            null,
            null,
            retentionDays,
            null,
            now,
            null,
            now.plus(retentionDays, ChronoUnit.DAYS),
            stores.current().name(),
            BackupCipher.FORMAT_ENCRYPTED,
            sealedKey);
    return repository.insert(backup).doOnSuccess(saved -> dumpInBackground(instance, saved, login));
  }

  private void dumpInBackground(
      Instance instance, Backup backup, Mono<RdsInstances.Credentials> login) {
    login
        .flatMap(
            credentials ->
                Mono.fromCallable(() -> dump(credentials, backup))
                    .subscribeOn(Schedulers.boundedElastic()))
        .flatMap(
            written ->
                repository
                    .completed(backup.id(), written.size(), written.sha256())
                    .then(publish(instance, backup, "completed", written.size(), null))
                    .as(tx::transactional))
        .onErrorResume(
            error -> {
              log.warn("Backup {} of {} failed", backup.id(), instance.serviceId(), error);
              String reason = error.getMessage() == null ? error.toString() : error.getMessage();
              return repository
                  .failed(backup.id(), reason)
                  .then(publish(instance, backup, "failed", null, reason))
                  .as(tx::transactional);
            })
        .subscribe();
  }

  private record Written(long size, String sha256) {}

  /** The object's path in a store: one directory per instance. */
  static String location(String serviceId, String backupId) {
    return serviceId.replaceAll("[^A-Za-z0-9._-]", "_") + "/" + backupId + ".sql.gz.enc";
  }

  /**
   * pg_dump → gzip → AES-GCM chunks → (SHA-256, byte count) → the store; the object exists only
   * once all of it is written (a failed dump leaves nothing).
   */
  private Written dump(RdsInstances.Credentials login, Backup backup) throws IOException {
    MessageDigest sha = sha256();
    byte[] dataKey = dataKey(backup);
    try (BackupStore.Upload upload = store(backup).create(backup.location());
        CountingStream counting = new CountingStream(new DigestOutputStream(upload, sha));
        BackupCipher.SealingStream sealing =
            BackupCipher.sealing(counting, dataKey, backup.id().toString());
        GZIPOutputStream gzip = new GZIPOutputStream(sealing, 64 * 1024)) {
      tools.dump(login, gzip);
      gzip.finish();
      sealing.finish();
      upload.commit();
      return new Written(counting.count, HexFormat.of().formatHex(sha.digest()));
    } finally {
      Arrays.fill(dataKey, (byte) 0);
    }
  }

  private BackupStore store(Backup backup) throws IOException {
    return stores
        .named(backup.store())
        .orElseThrow(
            () ->
                new IOException(
                    "backup "
                        + backup.id()
                        + " is kept in the '"
                        + backup.store()
                        + "' backup store, which is not configured"));
  }

  /** The backup's data key, opened with the master key (or a previous one). */
  private byte[] dataKey(Backup backup) throws IOException {
    if (backup.dataKey() == null) {
      throw new IOException("backup " + backup.id() + " has no data key");
    }
    try {
      return masterKey.decrypt(backup.dataKey(), BackupCipher.keyContext(backup.id().toString()));
    } catch (IllegalStateException e) {
      throw new IOException(
          "backup " + backup.id() + "'s data key does not open under the master key", e);
    }
  }

  /**
   * The dump's SQL: the object decrypted (unless taken before encryption) and gunzipped. Closing it
   * closes {@code stored}; if this fails, {@code stored} stays open for the caller (which finishes
   * its hash).
   */
  private InputStream sql(Backup backup, InputStream stored) throws IOException {
    InputStream gzip = stored;
    if (backup.encrypted()) {
      byte[] dataKey = dataKey(backup);
      try {
        gzip = BackupCipher.opening(stored, dataKey, backup.id().toString());
      } finally {
        Arrays.fill(dataKey, (byte) 0);
      }
    } else if (!BackupCipher.FORMAT_GZIP.equals(backup.format())) {
      throw new IOException("backup " + backup.id() + " has an unknown format " + backup.format());
    }
    return new GZIPInputStream(gzip, 64 * 1024);
  }

  /**
   * Restores an available backup into a database (the backup's own instance or another of the same
   * tenant): its objects are dropped and recreated from the dump in one transaction.
   */
  public Mono<Map<String, Object>> restore(
      Backup backup, Instance target, Mono<RdsInstances.Credentials> login) {
    if (!Backup.AVAILABLE.equals(backup.status())) {
      return Mono.error(
          new ApiException(
              ErrorKind.CONFLICT,
              "Backup " + backup.id() + " is " + backup.status() + ", not available",
              "BackupNotAvailable",
              null,
              Map.of(),
              null));
    }
    long started = System.nanoTime();
    return login
        .flatMap(
            credentials ->
                Mono.fromCallable(
                        () -> {
                          restoreOnce(backup, credentials);
                          return true;
                        })
                    .subscribeOn(Schedulers.boundedElastic()))
        .onErrorMap(
            IOException.class,
            e ->
                new ApiException(
                    ErrorKind.BAD_REQUEST,
                    "Restore failed: " + e.getMessage(),
                    "RestoreFailed",
                    null,
                    Map.of(),
                    e))
        .map(
            ok -> {
              Map<String, Object> out = new LinkedHashMap<>();
              out.put("backupId", backup.id().toString());
              out.put("sourceServiceId", backup.serviceId());
              out.put("targetServiceId", target.serviceId());
              out.put("status", "restored");
              out.put("durationMs", (System.nanoTime() - started) / 1_000_000);
              return out;
            });
  }

  /**
   * Feeds the dump to psql from one read of the object, hashing it on the way. The hash is checked
   * when the SQL ends, before psql sees its end of input (which would commit): a mismatch fails the
   * input, and PgTools kills psql, so its one transaction rolls back. Damage usually shows earlier
   * (a chunk's tag, gzip, psql itself): then the rest is read so the answer can say "damaged" when
   * the hash differs, and the first failure otherwise.
   */
  private void restoreOnce(Backup backup, RdsInstances.Credentials credentials) throws IOException {
    HashedRead stored = new HashedRead(store(backup).open(backup.location()));
    InputStream sql = null;
    try {
      sql = new EndCheckedStream(sql(backup, stored), () -> requireIntact(backup, stored));
      tools.restore(credentials, sql);
    } catch (IOException | RuntimeException failure) {
      if (failure instanceof DamagedBackup) {
        throw failure;
      }
      String actual;
      try {
        actual = stored.sha256Hex(); // still open: the rest of the object is read here
      } catch (IOException unread) {
        failure.addSuppressed(unread);
        throw failure;
      }
      if (!actual.equals(backup.sha256())) {
        throw damaged(backup, failure);
      }
      throw failure;
    } finally {
      // Closing the SQL closes every layer down to the object.
      if (sql != null) {
        sql.close();
      } else {
        stored.close();
      }
    }
  }

  private static void requireIntact(Backup backup, HashedRead stored) throws IOException {
    if (!stored.sha256Hex().equals(backup.sha256())) {
      throw damaged(backup, null);
    }
  }

  private static IOException damaged(Backup backup, Throwable firstSign) {
    return new DamagedBackup("backup " + backup.id() + " is damaged (SHA-256 differs)", firstSign);
  }

  /** The stored object does not hash to the recorded SHA-256. */
  private static final class DamagedBackup extends IOException {
    DamagedBackup(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** An input whose end is only given once {@code atEnd} passed (it throws otherwise). */
  private static final class EndCheckedStream extends InputStream {

    interface Check {
      void run() throws IOException;
    }

    private final InputStream in;
    private final Check atEnd;
    private boolean checked;

    EndCheckedStream(InputStream in, Check atEnd) {
      this.in = in;
      this.atEnd = atEnd;
    }

    @Override
    public int read() throws IOException {
      int b = in.read();
      return b < 0 ? end() : b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int n = in.read(buffer, offset, length);
      return n < 0 ? end() : n;
    }

    private int end() throws IOException {
      if (!checked) {
        atEnd.run();
        checked = true;
      }
      return -1;
    }

    @Override
    public void close() throws IOException {
      in.close();
    }
  }

  /**
   * Deletes backups past their retention: object, then row; a row whose object could not be deleted
   * (the store unreachable) stays for the next sweep. The number deleted.
   */
  public Mono<Long> deleteExpired(int limit) {
    return repository
        .expired(Instant.now(), limit)
        .concatMap(
            backup ->
                deleteFile(backup)
                    .filter(deleted -> deleted)
                    .flatMap(deleted -> repository.delete(backup.id()).thenReturn(1L)))
        .count()
        .as(tx::transactional);
  }

  /** Every backup of an instance being dropped. */
  public Mono<Void> deleteAll(String serviceId) {
    return repository.deleteAll(serviceId).concatMap(this::deleteFile).then();
  }

  /** Whether the backup's object is gone (deleted now, or never there). */
  private Mono<Boolean> deleteFile(Backup backup) {
    return Mono.fromCallable(
            () -> {
              store(backup).delete(backup.location());
              return true;
            })
        .subscribeOn(Schedulers.boundedElastic())
        .onErrorResume(
            IOException.class,
            e -> {
              log.warn(
                  "Cannot delete backup {} ({}): {}",
                  backup.id(),
                  backup.location(),
                  e.getMessage());
              return Mono.just(false);
            });
  }

  private Mono<Void> publish(
      Instance instance, Backup backup, String verb, Long size, String reason) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("serviceId", instance.serviceId());
    data.put("backupId", backup.id().toString());
    if (size != null) {
      data.put("sizeBytes", size);
    }
    if (reason != null) {
      data.put("reason", reason);
    }
    return events.publish(instance.tenantId(), instance.serviceId(), "backup", verb, data);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Counts the compressed bytes on their way to the file. */
  private static final class CountingStream extends java.io.FilterOutputStream {
    private long count;

    CountingStream(OutputStream out) {
      super(out);
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      count += len;
    }
  }
}
