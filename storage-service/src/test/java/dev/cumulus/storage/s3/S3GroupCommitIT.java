package dev.cumulus.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cumulus.platform.events.Outbox;
import dev.cumulus.platform.instance.InstanceRegistry;
import dev.cumulus.storage.BlobFiles;
import dev.cumulus.storage.StorageApplication;
import dev.cumulus.storage.StorageTestProperties;
import dev.cumulus.storage.object.domain.StoredObject;
import dev.cumulus.storage.object.persistence.ObjectRepository;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import reactor.core.publisher.Mono;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.ObjectVersion;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Concurrent PUTs and GETs, whose commits and lookups storage-service groups into shared statements
 * (ObjectRepository.commitGrouped, latestGrouped): every request still stands on its own, against
 * real PostgreSQL.
 */
@SpringBootTest(
    classes = {StorageApplication.class, S3TestClients.Keys.class},
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class S3GroupCommitIT {

  static final int KEYS = 8;
  static final int WRITERS = 6;

  static Path data;

  @DynamicPropertySource
  static void infrastructure(DynamicPropertyRegistry registry) throws IOException {
    data = StorageTestProperties.register(registry, "s3g");
  }

  @LocalServerPort int port;
  @Autowired InstanceRegistry instances;
  @Autowired ObjectRepository objects;
  @Autowired DatabaseClient db;

  String tenant;
  String service;
  S3Client s3;

  @BeforeEach
  void instance() {
    tenant = "t-" + UUID.randomUUID();
    service = UUID.randomUUID().toString();
    s3 =
        S3TestClients.clientForNewInstance(
            instances,
            port,
            tenant,
            service,
            "s3-group-commit-it",
            Apache5HttpClient.builder().maxConnections(KEYS * WRITERS).build());
  }

  /**
   * What writer {@code w} puts at key {@code k}: every third body is larger than the inline
   * threshold (32 KB), so files replace rows, rows replace files, and files replace files.
   */
  static String body(int k, int w) {
    String unit = "key " + k + " writer " + w + ";";
    return unit.repeat(w % 3 == 0 ? 3_000 : 3); // ~45 KB or ~45 bytes
  }

  /** All the PUTs at once, each key written by every writer; fails if any PUT failed. */
  Map<String, List<String>> putConcurrently(String bucket) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(KEYS * WRITERS);
    try {
      List<Future<String>> puts = new ArrayList<>();
      for (int w = 0; w < WRITERS; w++) {
        for (int k = 0; k < KEYS; k++) {
          String key = "key-" + k;
          String body = body(k, w);
          puts.add(
              pool.submit(
                  () ->
                      s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString(body))
                          .versionId()));
        }
      }
      Map<String, List<String>> versionsByKey = new HashMap<>();
      for (int i = 0; i < puts.size(); i++) {
        versionsByKey
            .computeIfAbsent("key-" + (i % KEYS), key -> new ArrayList<>())
            .add(puts.get(i).get());
      }
      return versionsByKey;
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void concurrentOverwritesLeaveOneObjectPerKeyAndNoStrayFile() throws Exception {
    s3.createBucket(b -> b.bucket("crowd"));
    putConcurrently("crowd");

    List<S3Object> listed = s3.listObjectsV2(b -> b.bucket("crowd")).contents();
    assertThat(listed).extracting(S3Object::key).hasSize(KEYS);
    int files = 0;
    for (int k = 0; k < KEYS; k++) {
      String key = "key-" + k;
      String stored = s3.getObjectAsBytes(b -> b.bucket("crowd").key(key)).asUtf8String();
      int writer = -1;
      for (int w = 0; w < WRITERS; w++) {
        if (body(k, w).equals(stored)) {
          writer = w;
        }
      }
      assertThat(writer).as("%s holds one writer's body, whole", key).isNotNegative();
      files += writer % 3 == 0 ? 1 : 0;
    }
    // Each replaced file was deleted, each current large body kept: none lost, none leaked.
    assertThat(BlobFiles.of(data, service)).hasSize(files);
  }

  @Test
  void concurrentWritesToAVersionedBucketKeepEveryVersionAndOneLatest() throws Exception {
    s3.createBucket(b -> b.bucket("history"));
    s3.putBucketVersioning(
        b ->
            b.bucket("history")
                .versioningConfiguration(c -> c.status(BucketVersioningStatus.ENABLED)));
    Map<String, List<String>> written = putConcurrently("history");

    List<ObjectVersion> versions = s3.listObjectVersions(b -> b.bucket("history")).versions();
    assertThat(versions).hasSize(KEYS * WRITERS);
    Map<String, List<ObjectVersion>> byKey =
        versions.stream().collect(Collectors.groupingBy(ObjectVersion::key));
    for (int k = 0; k < KEYS; k++) {
      String key = "key-" + k;
      assertThat(byKey.get(key))
          .extracting(ObjectVersion::versionId)
          .containsExactlyInAnyOrderElementsOf(written.get(key));
      assertThat(byKey.get(key)).filteredOn(ObjectVersion::isLatest).hasSize(1);
    }
  }

  @Test
  void concurrentReadsEachGetTheirOwnObjectOrNoSuchKey() throws Exception {
    s3.createBucket(b -> b.bucket("reads"));
    for (int k = 0; k < KEYS; k++) {
      String key = "key-" + k;
      String body = body(k, 1);
      s3.putObject(b -> b.bucket("reads").key(key), RequestBody.fromString(body));
    }
    s3.deleteObject(b -> b.bucket("reads").key("key-0")); // gone from the latest lookups
    ExecutorService pool = Executors.newFixedThreadPool(KEYS * WRITERS);
    try {
      // Lookups of present and missing keys at once share statements (ObjectRepository
      // .latestGrouped): each answer must still be its own key's.
      List<Future<String>> reads = new ArrayList<>();
      for (int i = 0; i < KEYS * WRITERS; i++) {
        String key = "key-" + (i % (KEYS + 2)); // key-8 and key-9 were never written
        reads.add(
            pool.submit(
                () -> {
                  try {
                    return s3.getObjectAsBytes(b -> b.bucket("reads").key(key)).asUtf8String();
                  } catch (software.amazon.awssdk.services.s3.model.NoSuchKeyException e) {
                    return "NoSuchKey";
                  }
                }));
      }
      for (int i = 0; i < reads.size(); i++) {
        int k = i % (KEYS + 2);
        assertThat(reads.get(i).get())
            .as("key-%d", k)
            .isEqualTo(k == 0 || k >= KEYS ? "NoSuchKey" : body(k, 1));
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aCommitWhoseBucketIsGoneFailsAloneEvenInAGroup() {
    s3.createBucket(b -> b.bucket("mixed"));
    UUID bucket =
        db.sql("SELECT id FROM storage_buckets WHERE service_id = :s AND name = 'mixed'")
            .bind("s", service)
            .map(row -> row.get("id", UUID.class))
            .one()
            .block(Duration.ofSeconds(10));
    UUID gone = UUID.randomUUID();

    // Submitted together: the first ones take the free statement slots, the rest queue and leave
    // as one statement, which the missing bucket fails; each is then written on its own.
    List<Mono<Optional<String>>> commits = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      commits.add(objects.commitGrouped(object(i == 7 ? gone : bucket, "k" + i), event()).cache());
    }
    commits.forEach(commit -> commit.subscribe(result -> {}, error -> {}));

    for (int i = 0; i < commits.size(); i++) {
      Mono<Optional<String>> commit = commits.get(i);
      if (i == 7) {
        assertThat(
                commit
                    .map(result -> "committed")
                    .onErrorResume(e -> Mono.just(ObjectRepository.bucketGone(e) ? "gone" : "?"))
                    .block(Duration.ofSeconds(10)))
            .isEqualTo("gone");
      } else {
        assertThat(commit.block(Duration.ofSeconds(10))).isEmpty(); // nothing replaced
      }
    }
    Set<String> keys =
        Set.copyOf(
            s3.listObjectsV2(b -> b.bucket("mixed")).contents().stream()
                .map(S3Object::key)
                .toList());
    assertThat(keys).hasSize(11).doesNotContain("k7");
  }

  StoredObject object(UUID bucket, String key) {
    byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
    return new StoredObject(
        bucket,
        key,
        bytes.length,
        "etag-" + key,
        "text/plain",
        Map.of(),
        null,
        Instant.now().truncatedTo(ChronoUnit.MILLIS),
        StoredObject.NULL_VERSION,
        true,
        false,
        false,
        bytes,
        Map.of());
  }

  Outbox.Row event() {
    return new Outbox.Row(
        UUID.randomUUID(),
        "dev.cumulus.storage.object.created.v1",
        service,
        "dev.cumulus.storage.object.created.v1",
        "storage-service",
        tenant,
        null,
        "{}");
  }
}
