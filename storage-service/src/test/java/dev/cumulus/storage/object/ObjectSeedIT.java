package dev.cumulus.storage.object;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cumulus.storage.StorageSeedFixture;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.client.MultipartBodyBuilder;
import org.springframework.web.reactive.function.BodyInserters;
import tools.jackson.databind.JsonNode;

/** Seed 000 objects: writes racing a bucket's deletion or each other, and bad input. */
class ObjectSeedIT extends StorageSeedFixture {
  @Test
  void aPutIntoABucketDeletedThroughAnotherNodeIsNoSuchBucketAndLeavesNoFile() throws Exception {
    SeedInstance seed = seedInstance("my-storage");
    createBucket(seed.base(), seed.token(), "short-lived");
    // This node now remembers the bucket for object requests (bucket-read-cache-ttl)...
    upload(
        seed.base(), seed.token(), "short-lived", "one".getBytes(StandardCharsets.UTF_8), "a.txt");
    assertThat(blobFiles(seed.service())).hasSize(1);
    // ...when another node deletes it (its rows go; that node removes the files).
    db.sql("DELETE FROM storage_buckets WHERE service_id = :s AND name = 'short-lived'")
        .bind("s", seed.service())
        .fetch()
        .rowsUpdated()
        .block(Duration.ofSeconds(10));

    JsonNode refused =
        json(
            request(HttpMethod.POST, seed.base() + "/buckets/short-lived/objects", seed.token())
                .contentType(MediaType.MULTIPART_FORM_DATA)
                .body(BodyInserters.fromMultipartData(form(new byte[1000], "b.txt", "text/plain")))
                .exchange()
                .expectStatus()
                .isNotFound());
    assertThat(refused.path("error").path("code").asString()).isEqualTo("NoSuchBucket");
    assertThat(blobFiles(seed.service())).hasSize(1); // the new bytes were removed again
  }

  /**
   * Concurrent writers of one new key, all queued at their commit behind the key's lock: the last
   * commit wins, one row and one file remain, and every write has its created event.
   */
  @Test
  void concurrentWritesOfOneKeyLeaveOneFile() throws Exception {
    SeedInstance seed = seedInstance("race");
    createBucket(seed.base(), seed.token(), "race");
    List<byte[]> bodies = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      bodies.add(randomBytes(20_000 + i));
    }
    String key = "same/key.bin";
    java.util.concurrent.CompletableFuture<List<Integer>> writes;
    try (KeyLock lock = keyLock(seed.service(), "race", key)) {
      writes =
          reactor.core.publisher.Flux.range(0, bodies.size())
              .flatMap(
                  i ->
                      reactor.core.publisher.Mono.fromCallable(
                              () ->
                                  request(
                                          HttpMethod.POST,
                                          seed.base() + "/buckets/race/objects",
                                          seed.token())
                                      .header("X-Request-Id", "race-" + i)
                                      .contentType(MediaType.MULTIPART_FORM_DATA)
                                      .body(
                                          BodyInserters.fromMultipartData(
                                              form(bodies.get(i), key, "application/pdf")))
                                      .exchange()
                                      .returnResult(byte[].class)
                                      .getStatus()
                                      .value())
                          .subscribeOn(reactor.core.scheduler.Schedulers.boundedElastic()),
                  bodies.size())
              .collectList()
              .toFuture();
      await(() -> lock.waiters() == bodies.size(), "every writer waiting for the key's lock");
    }
    assertThat(writes.get(60, java.util.concurrent.TimeUnit.SECONDS)).containsOnly(201);

    assertThat(blobFiles(seed.service())).hasSize(1);
    byte[] stored = download(seed.base() + "/buckets/race/objects/same/key.bin", seed.token());
    assertThat(bodies).anySatisfy(b -> assertThat(b).isEqualTo(stored));
    assertThat(Files.readAllBytes(blobFiles(seed.service()).get(0))).isEqualTo(stored);
    assertThat(
            db.sql(
                    """
                    SELECT count(*) AS n FROM storage_objects o
                    JOIN storage_buckets b ON b.id = o.bucket_id
                    WHERE b.service_id = :s AND b.name = 'race' AND o.object_key = :k
                    """)
                .bind("s", seed.service())
                .bind("k", key)
                .map(row -> row.get("n", Long.class))
                .one()
                .block(Duration.ofSeconds(10)))
        .isEqualTo(1L);
    List<Map<String, Object>> events =
        db.sql(
                """
                SELECT event_type, source, tenant_id, request_id, payload::text AS payload
                FROM cumulus_outbox WHERE event_key = :k ORDER BY seq
                """)
            .bind("k", seed.service() + "/race/" + key)
            .fetch()
            .all()
            .collectList()
            .block(Duration.ofSeconds(10));
    assertThat(events).hasSize(bodies.size());
    assertThat(events)
        .allSatisfy(
            e -> {
              assertThat(e.get("event_type")).isEqualTo("dev.cumulus.storage.object.created.v1");
              assertThat(e.get("source")).isEqualTo("/storage");
              assertThat(e.get("tenant_id")).isEqualTo(seed.tenant());
            });
    assertThat(events)
        .extracting(e -> e.get("request_id"))
        .containsExactlyInAnyOrder("race-0", "race-1", "race-2", "race-3", "race-4", "race-5");
    // The event as before: the payload of the write that made it.
    Map<String, Object> first = events.get(0);
    byte[] body = bodies.get(Integer.parseInt(((String) first.get("request_id")).substring(5)));
    assertThat(JSON.readTree((String) first.get("payload")))
        .isEqualTo(
            JSON.valueToTree(
                Map.of(
                    "tenantId",
                    seed.tenant(),
                    "serviceId",
                    seed.service(),
                    "bucket",
                    "race",
                    "key",
                    key,
                    "size",
                    body.length,
                    "etag",
                    md5(body),
                    "contentType",
                    "application/pdf")));
  }

  @Test
  void badInputIsRefusedAndLeavesNothingBehind() throws Exception {
    SeedInstance seed = seedInstance("bad-input");

    for (String name :
        List.of("ab", "My_Bucket", "-dash", "a..b", "192.168.1.10", "x".repeat(64))) {
      JsonNode error =
          json(
              request(HttpMethod.POST, seed.base() + "/buckets", seed.token())
                  .contentType(MediaType.APPLICATION_JSON)
                  .bodyValue(Map.of("name", name))
                  .exchange()
                  .expectStatus()
                  .isBadRequest());
      assertThat(error.path("error").path("code").asString())
          .as(name)
          .isEqualTo("InvalidBucketName");
    }
    createBucket(seed.base(), seed.token(), "inputs");
    JsonNode duplicate =
        json(
            request(HttpMethod.POST, seed.base() + "/buckets", seed.token())
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", "inputs"))
                .exchange()
                .expectStatus()
                .isEqualTo(409));
    assertThat(duplicate.path("error").path("code").asString()).isEqualTo("BucketAlreadyExists");

    // Key over 1,024 bytes (multi-byte characters count as bytes)
    String longKey = "é".repeat(513);
    JsonNode tooLong =
        json(
            request(HttpMethod.POST, seed.base() + "/buckets/inputs/objects", seed.token())
                .contentType(MediaType.MULTIPART_FORM_DATA)
                .body(
                    BodyInserters.fromMultipartData(form(randomBytes(5000), longKey, "text/plain")))
                .exchange()
                .expectStatus()
                .isBadRequest());
    assertThat(tooLong.path("error").path("code").asString()).isEqualTo("KeyTooLongError");
    // Exactly 1,024 bytes is fine
    upload(seed.base(), seed.token(), "inputs", randomBytes(10), "k".repeat(1024));

    // Missing file
    MultipartBodyBuilder noFile = new MultipartBodyBuilder();
    noFile.part("key", "documents/missing.pdf");
    noFile.part("contentType", "application/pdf");
    JsonNode missingFile =
        json(
            request(HttpMethod.POST, seed.base() + "/buckets/inputs/objects", seed.token())
                .contentType(MediaType.MULTIPART_FORM_DATA)
                .body(BodyInserters.fromMultipartData(noFile.build()))
                .exchange()
                .expectStatus()
                .isBadRequest());
    assertThat(missingFile.path("error").path("code").asString()).isEqualTo("InvalidRequest");
    assertThat(missingFile.path("error").path("details").asString())
        .isEqualTo("Missing required parameter: file");

    // Upload into a missing bucket
    JsonNode noBucket =
        json(
            request(HttpMethod.POST, seed.base() + "/buckets/nope-bucket/objects", seed.token())
                .contentType(MediaType.MULTIPART_FORM_DATA)
                .body(BodyInserters.fromMultipartData(form(randomBytes(10), "a.txt", "text/plain")))
                .exchange()
                .expectStatus()
                .isNotFound());
    assertThat(noBucket.path("error").path("code").asString()).isEqualTo("NoSuchBucket");

    // Bad maxKeys
    get(seed.base() + "/buckets/inputs/objects?maxKeys=5000", seed.token(), 400);

    // Nothing half-written: one object, one file, no temporary files
    JsonNode listed = get(seed.base() + "/buckets/inputs/objects", seed.token(), 200);
    assertThat(keys(listed)).containsExactly("k".repeat(1024));
    assertThat(blobFiles(seed.service())).hasSize(1);
    assertThat(tmpFiles()).isEmpty();

    JsonNode notEmpty = delete(seed.base() + "/buckets/inputs", seed.token(), 409);
    assertThat(notEmpty.path("error").path("code").asString()).isEqualTo("BucketNotEmpty");
    assertThat(get(seed.base() + "/buckets/inputs", seed.token(), 200).path("objectCount").asLong())
        .isEqualTo(1);
  }
}
