package dev.cumulus.storage.multipart;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cumulus.storage.StorageSeedFixture;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Multipart uploads racing an abort or each other (through the domain layer, as the S3 adapter
 * calls it).
 */
class MultipartSeedIT extends StorageSeedFixture {
  /**
   * A part still arriving when its upload is aborted: its row cannot refer to the upload any more
   * (foreign key), so the part is refused as NoSuchUpload and the bytes it wrote are deleted.
   */
  @Test
  void aPartArrivingWhileItsUploadIsAbortedIsRefusedAndItsBytesDeleted() throws Exception {
    var instance = instanceWithBucket("aborted", "parts");
    String service = instance.serviceId();
    String uploadId =
        multipartService
            .create(instance, "parts", "late.bin", "application/x-test", Map.of())
            .block(Duration.ofSeconds(10))
            .uploadId();
    var factory = org.springframework.core.io.buffer.DefaultDataBufferFactory.sharedInstance;
    var bodyStarted = new java.util.concurrent.CountDownLatch(1);
    reactor.core.publisher.Sinks.Empty<Void> rest = reactor.core.publisher.Sinks.empty();
    java.util.concurrent.CompletableFuture<String> part =
        multipartService
            .uploadPart(
                instance,
                "parts",
                "late.bin",
                uploadId,
                1,
                reactor.core.publisher.Flux.<org.springframework.core.io.buffer.DataBuffer>concat(
                        reactor.core.publisher.Flux.just(factory.wrap(randomBytes(20_000))),
                        rest.asMono()
                            .thenMany(
                                reactor.core.publisher.Flux.just(
                                    factory.wrap(randomBytes(20_000)))))
                    .doOnSubscribe(s -> bodyStarted.countDown()))
            .map(uploaded -> "stored")
            .onErrorResume(
                dev.cumulus.platform.error.ApiException.class,
                e -> reactor.core.publisher.Mono.just(e.code()))
            .toFuture();
    assertThat(bodyStarted.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();

    multipartService.abort(instance, "parts", "late.bin", uploadId).block(Duration.ofSeconds(10));
    rest.tryEmitEmpty();

    assertThat(part.get(10, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("NoSuchUpload");
    assertThat(blobFiles(service)).isEmpty();
    assertThat(
            db.sql("SELECT count(*) AS n FROM storage_multipart_parts WHERE upload_id = :u")
                .bind("u", uploadId)
                .map(row -> row.get("n", Long.class))
                .one()
                .block(Duration.ofSeconds(10)))
        .isZero();
  }

  /**
   * Two Completes of one multipart upload, both queued at their commit: the first makes the object
   * and removes the upload in one transaction; the second finds the upload gone in its own, so its
   * object row and event roll back with it (NoSuchUpload) and its bytes are deleted.
   */
  @Test
  void racingCompletesOfOneUploadCommitOnce() throws Exception {
    var instance = instanceWithBucket("parts", "parts");
    String service = instance.serviceId();
    String key = "assembled.bin";
    String uploadId =
        multipartService
            .create(instance, "parts", key, "application/x-test", Map.of("m", "1"))
            .block(Duration.ofSeconds(10))
            .uploadId();
    byte[] bytes = randomBytes(30_000);
    var part =
        multipartService
            .uploadPart(
                instance,
                "parts",
                key,
                uploadId,
                1,
                reactor.core.publisher.Flux.just(
                    org.springframework.core.io.buffer.DefaultDataBufferFactory.sharedInstance.wrap(
                        bytes)))
            .block(Duration.ofSeconds(10));
    reactor.core.publisher.Mono<String> complete =
        multipartService
            .complete(
                instance,
                "parts",
                key,
                uploadId,
                List.of(
                    new dev.cumulus.storage.multipart.application.MultipartService.CompletedPart(
                        1, part.etag())))
            .map(object -> "completed")
            .onErrorResume(
                dev.cumulus.platform.error.ApiException.class,
                e -> reactor.core.publisher.Mono.just(e.code()));
    java.util.concurrent.CompletableFuture<List<String>> results;
    try (KeyLock lock = keyLock(service, "parts", key)) {
      results = reactor.core.publisher.Flux.merge(complete, complete).collectList().toFuture();
      await(() -> lock.waiters() == 2, "both Completes waiting for the key's lock");
    }
    assertThat(results.get(60, java.util.concurrent.TimeUnit.SECONDS))
        .containsExactlyInAnyOrder("completed", "NoSuchUpload");

    assertThat(
            db.sql(
                    """
                    SELECT (SELECT count(*) FROM storage_objects WHERE object_key = :k)
                      + (SELECT count(*) FROM storage_multipart_uploads WHERE upload_id = :u)
                      + (SELECT count(*) FROM storage_multipart_parts WHERE upload_id = :u) AS n
                    """)
                .bind("k", key)
                .bind("u", uploadId)
                .map(row -> row.get("n", Long.class))
                .one()
                .block(Duration.ofSeconds(10)))
        .as("one object row, no upload or part row")
        .isEqualTo(1L);
    assertThat(
            db.sql("SELECT count(*) AS n FROM cumulus_outbox WHERE event_key = :k")
                .bind("k", service + "/parts/" + key)
                .map(row -> row.get("n", Long.class))
                .one()
                .block(Duration.ofSeconds(10)))
        .isEqualTo(1L);
    assertThat(blobFiles(service)).hasSize(1);
    assertThat(Files.readAllBytes(blobFiles(service).get(0))).isEqualTo(bytes);
  }
}
