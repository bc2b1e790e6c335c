package dev.cumulus.function.sandbox.application;

import dev.cumulus.function.common.domain.FunctionErrors;
import dev.cumulus.function.config.FunctionProperties;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Function code: zips are checked when uploaded, and unpacked on first use into a directory named
 * by their SHA-256 (so one upload is unpacked once, and a directory never changes). Only the
 * function's own directory is mounted into its sandbox.
 */
@Component
public class CodeStore {

  /** Lambda's limits: 250 MB unpacked. */
  static final long MAX_UNPACKED_BYTES = 250L * 1024 * 1024;

  static final int MAX_ENTRIES = 20_000;

  private final Path root;

  /** Digests known to be unpacked: the hot path asks no file system. */
  private final Set<String> unpacked = ConcurrentHashMap.newKeySet();

  public CodeStore(FunctionProperties properties) {
    this.root = properties.workDir().resolve("code");
  }

  /** A checked zip: its digest (hex SHA-256) and size. */
  public record CodeInfo(String sha256, long size) {}

  /** Checks that the bytes are a zip whose entries stay inside their directory. */
  public CodeInfo inspect(byte[] zip) {
    if (zip.length == 0) {
      throw FunctionErrors.invalidZip("the zip file is empty");
    }
    walk(zip, null);
    return new CodeInfo(sha256(zip), zip.length);
  }

  /** The directory of the unpacked code, unpacking it first when needed. */
  public Mono<Path> directory(String sha256, Mono<byte[]> zip) {
    Path dir = root.resolve(sha256);
    if (unpacked.contains(sha256)) {
      return Mono.just(dir);
    }
    return Mono.fromCallable(() -> Files.isDirectory(dir))
        .subscribeOn(Schedulers.boundedElastic())
        .flatMap(
            exists ->
                exists
                    ? Mono.just(dir)
                    : zip.publishOn(Schedulers.boundedElastic())
                        .map(bytes -> unpack(sha256, bytes, dir)))
        .doOnNext(d -> unpacked.add(sha256));
  }

  private Path unpack(String sha256, byte[] zip, Path dir) {
    Path staging = root.resolve(".staging-" + UUID.randomUUID());
    try {
      Files.createDirectories(staging);
      walk(zip, staging);
      try {
        Files.move(staging, dir, StandardCopyOption.ATOMIC_MOVE);
      } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException raced) {
        deleteTree(staging);
      } catch (IOException e) {
        if (!Files.isDirectory(dir)) {
          throw e;
        }
        deleteTree(staging); // another invocation unpacked the same code first
      }
      return dir;
    } catch (IOException e) {
      deleteTree(staging);
      throw new UncheckedIOException("Cannot unpack code " + sha256, e);
    }
  }

  /** Reads every entry, checking names and sizes; writes them under {@code target} if given. */
  private static void walk(byte[] zip, Path target) {
    long total = 0;
    int entries = 0;
    try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
      for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
        if (++entries > MAX_ENTRIES) {
          throw FunctionErrors.invalidZip("more than " + MAX_ENTRIES + " entries");
        }
        Path relative = Path.of(entry.getName()).normalize();
        if (relative.isAbsolute() || relative.startsWith("..") || entry.getName().contains("\\")) {
          throw FunctionErrors.invalidZip("entry " + entry.getName() + " leaves its directory");
        }
        Path file = target == null ? null : target.resolve(relative);
        if (entry.isDirectory()) {
          if (file != null) {
            Files.createDirectories(file);
          }
          continue;
        }
        if (file != null) {
          Files.createDirectories(file.getParent());
        }
        total += copy(in, file, MAX_UNPACKED_BYTES - total);
      }
      if (entries == 0) {
        throw FunctionErrors.invalidZip("the zip file has no entries");
      }
    } catch (IOException e) {
      throw FunctionErrors.invalidZip(e.getMessage());
    }
  }

  private static long copy(InputStream in, Path file, long allowed) throws IOException {
    byte[] buffer = new byte[64 * 1024];
    long copied = 0;
    try (var out = file == null ? null : Files.newOutputStream(file)) {
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        copied += n;
        if (copied > allowed) {
          throw FunctionErrors.invalidZip("unpacked size exceeds " + MAX_UNPACKED_BYTES + " bytes");
        }
        if (out != null) {
          out.write(buffer, 0, n);
        }
      }
    }
    return copied;
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
