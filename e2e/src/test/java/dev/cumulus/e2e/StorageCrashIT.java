package dev.cumulus.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cumulus.platform.testsupport.FreePorts;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * kill -9 of storage-service in the middle of an upload: after a restart on the same data and
 * database, the interrupted object does not exist, its temporary file is gone (the janitor), every
 * acknowledged object is intact, and a multipart upload begun before the crash completes after it.
 */
class StorageCrashIT {

  @Test
  void anUploadCutByKillMinus9LeavesNoObjectNoFileAndLosesNothingAcknowledged() throws Exception {
    Cumulus cumulus = Cumulus.get();
    Api api = new Api(cumulus.viaGateway());
    Api.Answer instance = cumulus.newStorageInstance(api, "crash-media");
    String accessKey = instance.at("s3Credentials.accessKeyId");
    String secret = instance.at("s3Credentials.secretAccessKey");

    // A storage-service of its own (same data directory and database across the restart), in its
    // own consumer group so it learns of the instance too. Janitor grace 1 s: orphans of the
    // crash are older than that by the time it restarts.
    Map<String, String> env = cumulus.storageEnvironment(cumulus.auth.baseUrl());
    Path data = Path.of(env.get("CUMULUS_STORAGE_DATA_DIR"));
    List<String> args =
        List.of(
            "--cumulus.storage.janitor-grace=1s",
            "--spring.cloud.stream.bindings.serviceInstanceEvents-in-0.group=crash-"
                + UUID.randomUUID());
    int port = FreePorts.next();

    byte[] kept = new byte[3 * 1024 * 1024];
    new Random(5).nextBytes(kept);
    byte[] part1 = new byte[5 * 1024 * 1024];
    new Random(6).nextBytes(part1);
    String uploadId;
    try (ServiceProcess storage = ServiceProcess.start("storage-service", port, env, args)) {
      S3Client s3 = client(storage, accessKey, secret);
      S3ThroughGatewayIT.awaitAccepted(s3::listBuckets);
      s3.createBucket(b -> b.bucket("crash"));
      s3.putObject(b -> b.bucket("crash").key("kept.bin"), RequestBody.fromBytes(kept));
      uploadId = s3.createMultipartUpload(b -> b.bucket("crash").key("assembled.bin")).uploadId();
      s3.uploadPart(
          b -> b.bucket("crash").key("assembled.bin").uploadId(uploadId).partNumber(1),
          RequestBody.fromBytes(part1));

      // 2 MiB of a 64 MiB object flow, then the client stalls and the server is killed.
      CountDownLatch never = new CountDownLatch(1);
      CompletableFuture<?> stalled =
          CompletableFuture.runAsync(
              () ->
                  s3.putObject(
                      b -> b.bucket("crash").key("interrupted.bin"),
                      RequestBody.fromContentProvider(
                          () -> new StallingStream(2 * 1024 * 1024, never),
                          64L * 1024 * 1024,
                          "application/octet-stream")));
      awaitPartialFile(data.resolve("tmp"), 1024 * 1024);
      storage.kill();
      never.countDown();
      assertThatThrownBy(stalled::join).isNotNull();
    }

    try (ServiceProcess restarted = ServiceProcess.start("storage-service", port, env, args)) {
      S3Client s3 = client(restarted, accessKey, secret);
      assertThatThrownBy(() -> s3.headObject(b -> b.bucket("crash").key("interrupted.bin")))
          .isInstanceOf(NoSuchKeyException.class);
      assertThat(s3.listObjectsV2(b -> b.bucket("crash")).contents())
          .extracting(S3Object::key)
          .containsExactly("kept.bin");
      assertThat(s3.getObjectAsBytes(b -> b.bucket("crash").key("kept.bin")).asByteArray())
          .isEqualTo(kept);
      awaitNoFiles(data.resolve("tmp"));

      byte[] part2 = "the end".getBytes();
      String etag2 =
          s3.uploadPart(
                  b -> b.bucket("crash").key("assembled.bin").uploadId(uploadId).partNumber(2),
                  RequestBody.fromBytes(part2))
              .eTag();
      String etag1 =
          s3.listParts(b -> b.bucket("crash").key("assembled.bin").uploadId(uploadId))
              .parts()
              .get(0)
              .eTag();
      s3.completeMultipartUpload(
          b ->
              b.bucket("crash")
                  .key("assembled.bin")
                  .uploadId(uploadId)
                  .multipartUpload(
                      m ->
                          m.parts(
                              CompletedPart.builder().partNumber(1).eTag(etag1).build(),
                              CompletedPart.builder().partNumber(2).eTag(etag2).build())));
      byte[] assembled =
          s3.getObjectAsBytes(b -> b.bucket("crash").key("assembled.bin")).asByteArray();
      assertThat(Arrays.copyOfRange(assembled, 0, part1.length)).isEqualTo(part1);
      assertThat(Arrays.copyOfRange(assembled, part1.length, assembled.length)).isEqualTo(part2);
    }
  }

  /** Streaming (aws-chunked) signing: bytes go out as they are read, not hashed up front. */
  static S3Client client(ServiceProcess storage, String accessKey, String secret) {
    return S3Clients.of(URI.create(storage.baseUrl() + "/s3"), accessKey, secret, true);
  }

  static void awaitPartialFile(Path tmp, long atLeast) throws Exception {
    Instant deadline = Instant.now().plusSeconds(30);
    while (Instant.now().isBefore(deadline)) {
      if (Files.isDirectory(tmp)) {
        try (Stream<Path> files = Files.list(tmp)) {
          if (files.anyMatch(f -> size(f) >= atLeast)) {
            return;
          }
        }
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no upload in flight appeared in " + tmp);
  }

  static void awaitNoFiles(Path tmp) throws Exception {
    Instant deadline = Instant.now().plusSeconds(20);
    while (true) {
      List<Path> left;
      try (Stream<Path> files = Files.list(tmp)) {
        left = files.toList();
      }
      if (left.isEmpty()) {
        return;
      }
      assertThat(Instant.now()).as("temporary files left: %s", left).isBefore(deadline);
      Thread.sleep(200);
    }
  }

  static long size(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      return 0;
    }
  }

  /** Gives {@code limit} bytes, then blocks until released (and fails). */
  static final class StallingStream extends InputStream {
    private final long limit;
    private final CountDownLatch release;
    private long given;

    StallingStream(long limit, CountDownLatch release) {
      this.limit = limit;
      this.release = release;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (given >= limit) {
        try {
          release.await(
              Duration.ofMinutes(2).toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        throw new IOException("the client gave up after the server died");
      }
      int n = (int) Math.min(len, limit - given);
      Arrays.fill(b, off, off + n, (byte) 'x');
      given += n;
      return n;
    }
  }
}
