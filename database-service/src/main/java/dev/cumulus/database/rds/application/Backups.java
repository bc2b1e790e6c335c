package dev.cumulus.database.rds.application;

import dev.cumulus.database.rds.domain.Backup;
import dev.cumulus.database.rds.persistence.BackupRepository;
import dev.cumulus.platform.error.ApiException;
import dev.cumulus.platform.error.ErrorKind;
import dev.cumulus.platform.instance.Instance;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.security.DigestInputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
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
 * Logical backups: pg_dump's output streamed through gzip into the backup store (never held in
 * memory), its SHA-256 recorded; restore feeds it back through psql into the same instance or
 * another of the tenant's (a branch), after checking the hash. A backup is taken in the background:
 * {@code creating}, then {@code available} or {@code failed}, each end an event.
 */
@Component
public class Backups {

  private static final Logger log = LoggerFactory.getLogger(Backups.class);
  private static final int MAX_RETENTION_DAYS = 3650;

  private final BackupRepository repository;
  private final BackupStore store;
  private final PgTools tools;
  private final RdsEvents events;
  private final TransactionalOperator tx;

  public Backups(
      BackupRepository repository,
      BackupStore store,
      PgTools tools,
      RdsEvents events,
      TransactionalOperator tx) {
    this.repository = repository;
    this.store = store;
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
    Backup backup =
        new Backup(
            id,
            instance.serviceId(),
            instance.tenantId(),
            Backup.CREATING,
            store.location(instance.serviceId(), id.toString()),
            null,
            null,
            retentionDays,
            null,
            now,
            null,
            now.plus(retentionDays, ChronoUnit.DAYS));
    return repository.insert(backup).doOnSuccess(saved -> dumpInBackground(instance, saved, login));
  }

  private void dumpInBackground(
      Instance instance, Backup backup, Mono<RdsInstances.Credentials> login) {
    login
        .flatMap(
            credentials ->
                Mono.fromCallable(() -> dump(credentials, backup.location()))
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

  private Written dump(RdsInstances.Credentials login, String location) throws IOException {
    MessageDigest sha = sha256();
    CountingStream counted;
    try (OutputStream file = store.create(location);
        DigestOutputStream digest = new DigestOutputStream(file, sha);
        CountingStream counting = new CountingStream(digest);
        GZIPOutputStream gzip = new GZIPOutputStream(counting, 64 * 1024)) {
      counted = counting;
      tools.dump(login, gzip);
    }
    return new Written(counted.count, HexFormat.of().formatHex(sha.digest()));
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
                          verify(backup);
                          try (InputStream in =
                              new GZIPInputStream(
                                  Files.newInputStream(store.file(backup.location())), 64 * 1024)) {
                            tools.restore(credentials, in);
                          }
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

  private void verify(Backup backup) throws IOException {
    MessageDigest sha = sha256();
    try (InputStream in =
        new DigestInputStream(Files.newInputStream(store.file(backup.location())), sha)) {
      in.transferTo(OutputStream.nullOutputStream());
    }
    String actual = HexFormat.of().formatHex(sha.digest());
    if (!actual.equals(backup.sha256())) {
      throw new IOException("backup " + backup.id() + " is damaged (SHA-256 differs)");
    }
  }

  /** Deletes backups past their retention: file, then row. The number deleted. */
  public Mono<Long> deleteExpired(int limit) {
    return repository
        .expired(Instant.now(), limit)
        .concatMap(backup -> deleteFile(backup).then(repository.delete(backup.id())).thenReturn(1L))
        .count()
        .as(tx::transactional);
  }

  /** Every backup of an instance being dropped. */
  public Mono<Void> deleteAll(String serviceId) {
    return repository.deleteAll(serviceId).concatMap(this::deleteFile).then();
  }

  private Mono<Void> deleteFile(Backup backup) {
    return Mono.fromRunnable(() -> store.delete(backup.location()))
        .subscribeOn(Schedulers.boundedElastic())
        .onErrorResume(
            UncheckedIOException.class,
            e -> {
              log.warn("Cannot delete backup file {}", backup.location(), e);
              return Mono.empty();
            })
        .then();
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
