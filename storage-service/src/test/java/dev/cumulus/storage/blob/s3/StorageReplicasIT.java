package dev.cumulus.storage.blob.s3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cumulus.platform.instance.InstanceRegistry;
import dev.cumulus.platform.lease.AdvisoryLease;
import dev.cumulus.platform.lease.LeasedPeriodicWork;
import dev.cumulus.platform.testsupport.S3MockServer;
import dev.cumulus.storage.StorageApplication;
import dev.cumulus.storage.StorageConfiguration;
import dev.cumulus.storage.StorageTestProperties;
import dev.cumulus.storage.lifecycle.config.LifecycleSchedule;
import dev.cumulus.storage.s3.S3TestClients;
import io.r2dbc.spi.ConnectionFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.ReactorResourceFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/**
 * Two storage-service replicas on one database and one S3 bucket (S3Mock): what is written through
 * one is read through the other, and the janitor and lifecycle passes run on one replica at a time.
 * Each replica has a data directory of its own, so no byte can travel through a shared disk.
 * Clients talk to each replica's S3 endpoint directly (the gateway would route an instance's
 * requests to either of them by the service registry).
 */
class StorageReplicasIT {

  static final String BUCKET = "cumulus-replicas";
  static final String PREFIX = "replicas/";
  static final Duration WAIT = Duration.ofSeconds(30);

  static ConfigurableApplicationContext a;
  static ConfigurableApplicationContext b;
  static S3Client raw;

  String tenant;
  String service;
  S3Client viaA;
  S3Client viaB;

  @BeforeAll
  static void startReplicas() throws Exception {
    S3MockServer s3mock = S3MockServer.shared(BUCKET);
    Map<String, Object> shared = new LinkedHashMap<>();
    StorageTestProperties.register((name, value) -> shared.put(name, value.get()), "replicas");
    shared.put("cumulus.storage.blob.backend", "s3");
    shared.put("cumulus.storage.blob.s3.endpoint", s3mock.endpoint());
    shared.put("cumulus.storage.blob.s3.bucket", BUCKET);
    shared.put("cumulus.storage.blob.s3.access-key", "test");
    shared.put("cumulus.storage.blob.s3.secret-key", "test");
    shared.put("cumulus.storage.blob.s3.key-prefix", PREFIX);
    shared.put("cumulus.storage.blob.s3.part-size", "5MB");
    shared.put("cumulus.storage.janitor-grace", "1s");
    shared.put("cumulus.storage.blob.s3.upload-grace", "1s");
    a = replica(shared);
    b = replica(shared);
    raw =
        S3Client.builder()
            .endpointOverride(java.net.URI.create(s3mock.endpoint()))
            .region(software.amazon.awssdk.regions.Region.US_EAST_1)
            .forcePathStyle(true)
            .credentialsProvider(
                software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                    software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create(
                        "test", "test")))
            .httpClient(UrlConnectionHttpClient.create())
            .build();
  }

  /** A replica with a data directory of its own (the bytes must not be there). */
  static ConfigurableApplicationContext replica(Map<String, Object> shared) throws Exception {
    Map<String, Object> properties = new LinkedHashMap<>(shared);
    properties.put("server.port", "0");
    properties.put(
        "cumulus.storage.data-dir", java.nio.file.Files.createTempDirectory("replica-").toString());
    // As command-line arguments: they override application.yml (default properties would not).
    String[] arguments =
        properties.entrySet().stream()
            .map(e -> "--" + e.getKey() + "=" + e.getValue())
            .toArray(String[]::new);
    return new SpringApplicationBuilder(
            StorageApplication.class, S3TestClients.Keys.class, OwnNettyResources.class)
        .run(arguments);
  }

  /**
   * Event loops of the replica's own: closing a context that uses Reactor Netty's global ones
   * disposes them, under every other context of the test JVM (the cached ones) and the auth-service
   * stand-in.
   */
  @Configuration(proxyBeanMethods = false)
  static class OwnNettyResources {

    @Bean
    ReactorResourceFactory reactorResourceFactory() {
      ReactorResourceFactory resources = new ReactorResourceFactory();
      resources.setUseGlobalResources(false);
      return resources;
    }
  }

  @AfterAll
  static void stopReplicas() {
    for (ConfigurableApplicationContext context : new ConfigurableApplicationContext[] {a, b}) {
      if (context != null) {
        context.close();
      }
    }
    if (raw != null) {
      raw.close();
    }
  }

  static int port(ConfigurableApplicationContext context) {
    return ((WebServerApplicationContext) context).getWebServer().getPort();
  }

  void instance(String name) {
    tenant = "t-" + UUID.randomUUID();
    service = UUID.randomUUID().toString();
    a.getBean(InstanceRegistry.class).created(service, "s3storage", tenant, name).block(WAIT);
    String key = S3TestClients.newKey(tenant, service);
    String secret = S3TestClients.secret(key);
    viaA =
        S3TestClients.builder(port(a), key, secret)
            .httpClient(UrlConnectionHttpClient.create())
            .build();
    viaB =
        S3TestClients.builder(port(b), key, secret)
            .httpClient(UrlConnectionHttpClient.create())
            .build();
  }

  @Test
  void whatOneReplicaWritesTheOtherReadsListsAndRanges() throws Exception {
    instance("replicas");
    viaA.createBucket(r -> r.bucket("shared"));
    byte[] big = random(300_000, 1);
    viaA.putObject(r -> r.bucket("shared").key("big.bin"), RequestBody.fromBytes(big));
    byte[] sealed = random(70_000, 2);
    viaA.putObject(
        r -> r.bucket("shared").key("sealed.bin").serverSideEncryption(ServerSideEncryption.AES256),
        RequestBody.fromBytes(sealed));
    viaA.putObject(r -> r.bucket("shared").key("small.txt"), RequestBody.fromString("inline"));

    assertThat(viaB.getObjectAsBytes(r -> r.bucket("shared").key("big.bin")).asByteArray())
        .isEqualTo(big);
    assertThat(
            viaB.getObjectAsBytes(r -> r.bucket("shared").key("big.bin").range("bytes=1000-1999"))
                .asByteArray())
        .isEqualTo(java.util.Arrays.copyOfRange(big, 1000, 2000));
    assertThat(viaB.getObjectAsBytes(r -> r.bucket("shared").key("sealed.bin")).asByteArray())
        .isEqualTo(sealed);
    assertThat(viaB.getObjectAsBytes(r -> r.bucket("shared").key("small.txt")).asUtf8String())
        .isEqualTo("inline");
    assertThat(viaB.listObjectsV2(r -> r.bucket("shared")).contents())
        .extracting(S3Object::key)
        .containsExactly("big.bin", "sealed.bin", "small.txt");

    // The bytes are in the bucket, under the instance's prefix; none on either replica's disk.
    assertThat(rawKeys()).hasSize(2);
    assertThat(dataFiles(a)).isEmpty();
    assertThat(dataFiles(b)).isEmpty();

    // Deleted through B, gone for A, and its bytes gone from the bucket.
    viaB.deleteObject(r -> r.bucket("shared").key("big.bin"));
    S3TestClients.assertS3Error(
        () -> viaA.getObjectAsBytes(r -> r.bucket("shared").key("big.bin")), 404, "NoSuchKey");
    assertThat(rawKeys()).hasSize(1);
  }

  @Test
  void aMultipartUploadMayGoThroughBothReplicas() {
    instance("multipart");
    viaB.createBucket(r -> r.bucket("parts"));
    byte[] first = random(5 * 1024 * 1024, 3);
    byte[] second = random(1_000_000, 4);
    String upload = viaA.createMultipartUpload(r -> r.bucket("parts").key("joined.bin")).uploadId();
    String etag1 =
        viaA.uploadPart(
                r -> r.bucket("parts").key("joined.bin").uploadId(upload).partNumber(1),
                RequestBody.fromBytes(first))
            .eTag();
    String etag2 =
        viaB.uploadPart(
                r -> r.bucket("parts").key("joined.bin").uploadId(upload).partNumber(2),
                RequestBody.fromBytes(second))
            .eTag();
    assertThat(viaA.listParts(r -> r.bucket("parts").key("joined.bin").uploadId(upload)).parts())
        .hasSize(2);
    viaB.completeMultipartUpload(
        r ->
            r.bucket("parts")
                .key("joined.bin")
                .uploadId(upload)
                .multipartUpload(
                    m ->
                        m.parts(
                            CompletedPart.builder().partNumber(1).eTag(etag1).build(),
                            CompletedPart.builder().partNumber(2).eTag(etag2).build())));

    byte[] joined = viaA.getObjectAsBytes(r -> r.bucket("parts").key("joined.bin")).asByteArray();
    assertThat(joined).hasSize(first.length + second.length);
    assertThat(java.util.Arrays.copyOfRange(joined, 0, first.length)).isEqualTo(first);
    assertThat(java.util.Arrays.copyOfRange(joined, first.length, joined.length)).isEqualTo(second);
    int at = first.length - 100;
    assertThat(
            viaB.getObjectAsBytes(
                    r ->
                        r.bucket("parts").key("joined.bin").range("bytes=" + at + "-" + (at + 199)))
                .asByteArray())
        .isEqualTo(java.util.Arrays.copyOfRange(joined, at, at + 200));
  }

  @Test
  void theJanitorAndLifecycleRunOnOneReplicaAtATime() throws Exception {
    instance("janitor");
    viaA.createBucket(r -> r.bucket("kept"));
    byte[] live = random(50_000, 5);
    viaA.putObject(r -> r.bucket("kept").key("live.bin"), RequestBody.fromBytes(live));
    String orphan = PREFIX + service + "/" + UUID.randomUUID();
    raw.putObject(r -> r.bucket(BUCKET).key(orphan), RequestBody.fromString("never committed"));

    for (String lease : List.of(StorageConfiguration.JANITOR_LEASE, LifecycleSchedule.LEASE)) {
      String bean = lease.equals(LifecycleSchedule.LEASE) ? "lifecyclePasses" : "blobJanitorPasses";
      LeasedPeriodicWork onA = a.getBean(bean, LeasedPeriodicWork.class);
      LeasedPeriodicWork onB = b.getBean(bean, LeasedPeriodicWork.class);
      // While a holder (here: A's connection pool) has the lease, neither replica runs a pass.
      CountDownLatch held = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      Disposable holder =
          new AdvisoryLease(a.getBean(ConnectionFactory.class), lease)
              .runIfFree(
                  Mono.fromRunnable(held::countDown)
                      .then(
                          Mono.fromCallable(() -> release.await(20, TimeUnit.SECONDS))
                              .subscribeOn(reactor.core.scheduler.Schedulers.boundedElastic())))
              .subscribe();
      assertThat(held.await(10, TimeUnit.SECONDS)).as(lease + " taken").isTrue();
      assertThat(onB.runOnce().block(WAIT)).as(lease + " on B while held").isFalse();
      assertThat(onA.runOnce().block(WAIT)).as(lease + " on A while held").isFalse();
      release.countDown();
      // Released: the next pass runs (on whichever replica asks).
      awaitTrue(() -> Boolean.TRUE.equals(onB.runOnce().block(WAIT)));
      holder.dispose();
    }

    // B's janitor passes (the lease free again) remove the orphan once it is older than the 1 s
    // grace; the live object's bytes stay.
    LeasedPeriodicWork janitorOnB = b.getBean("blobJanitorPasses", LeasedPeriodicWork.class);
    awaitTrue(
        () -> {
          janitorOnB.runOnce().block(WAIT);
          return !rawKeys().contains(orphan);
        });
    assertThat(rawKeys()).hasSize(1);
    assertThat(viaA.getObjectAsBytes(r -> r.bucket("kept").key("live.bin")).asByteArray())
        .isEqualTo(live);
  }

  static void awaitTrue(java.util.function.BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("condition within " + WAIT).isLessThan(deadline);
      Thread.sleep(50);
    }
  }

  List<String> rawKeys() {
    return raw
        .listObjectsV2Paginator(r -> r.bucket(BUCKET).prefix(PREFIX + service + "/"))
        .contents()
        .stream()
        .map(S3Object::key)
        .toList();
  }

  static List<Path> dataFiles(ConfigurableApplicationContext context) throws Exception {
    Path dir = Path.of(context.getEnvironment().getProperty("cumulus.storage.data-dir"));
    return dev.cumulus.storage.BlobFiles.under(dir.resolve("blobs"));
  }

  static byte[] random(int size, long seed) {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }
}
