package dev.cumulus.storage;

import dev.cumulus.platform.lease.AdvisoryLease;
import dev.cumulus.platform.lease.LeasedPeriodicWork;
import dev.cumulus.storage.blob.application.BlobJanitor;
import dev.cumulus.storage.blob.application.ReferencedBlobs;
import dev.cumulus.storage.blob.domain.BlobStore;
import dev.cumulus.storage.blob.filesystem.FileSystemBlobStore;
import dev.cumulus.storage.blob.s3.S3BlobClients;
import dev.cumulus.storage.blob.s3.S3BlobStore;
import dev.cumulus.storage.config.BlobProperties;
import dev.cumulus.storage.config.StorageProperties;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.ChannelOption;
import io.r2dbc.spi.ConnectionFactory;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import software.amazon.awssdk.services.s3.S3AsyncClient;

/** The blob store (a file tree or an S3 bucket), its I/O threads and the leased janitor. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({StorageProperties.class, BlobProperties.class})
public class StorageConfiguration {

  private static final Logger log = LoggerFactory.getLogger(StorageConfiguration.class);

  @Bean(destroyMethod = "dispose")
  Scheduler storageIoScheduler(StorageProperties properties) {
    return Schedulers.newBoundedElastic(properties.ioThreads(), 10_000, "storage-io", 60, true);
  }

  private static final Duration BUCKET_CHECK_TIMEOUT = Duration.ofSeconds(30);

  /** The name every replica's janitor takes its lease under. */
  public static final String JANITOR_LEASE = "storage-blob-janitor";

  /**
   * Where the bytes are ({@code cumulus.storage.blob.backend}); the encrypting store wraps it and
   * is the one {@code BlobStore} the services get.
   */
  @Bean
  BlobStore backendBlobStore(
      BlobProperties blob,
      StorageProperties properties,
      Scheduler storageIoScheduler,
      org.springframework.beans.factory.ObjectProvider<S3AsyncClient> s3) {
    if (blob.backend().equals(BlobProperties.S3_BACKEND)) {
      BlobProperties.S3 settings = blob.s3();
      log.info(
          "Object bytes are stored in S3 bucket {}{} under prefix '{}'",
          settings.bucket(),
          settings.endpoint() == null ? "" : " at " + settings.endpoint(),
          settings.keyPrefix());
      S3BlobStore store =
          new S3BlobStore(
              s3.getObject(), settings.bucket(), settings.keyPrefix(), settings.uploadGrace());
      // Start-up (the main thread, not an event loop): a missing bucket stops it, named.
      store.checkBucket(settings.endpoint()).block(BUCKET_CHECK_TIMEOUT);
      return store;
    }
    log.info("Object bytes are stored under {}", properties.dataDir().toAbsolutePath());
    return new FileSystemBlobStore(properties.dataDir(), storageIoScheduler);
  }

  /** The S3 backend's client: only built when that backend is chosen. */
  @Bean(destroyMethod = "close")
  @org.springframework.context.annotation.Lazy
  S3AsyncClient blobS3Client(BlobProperties blob) {
    return S3BlobClients.create(blob.s3());
  }

  @Bean
  BlobJanitor blobJanitor(
      BlobStore blobStore, ReferencedBlobs referenced, StorageProperties properties) {
    return new BlobJanitor(blobStore, referenced::referencedAmong, properties.janitorGrace());
  }

  /**
   * How request bodies are read off the network. Pooled buffers: with its default (adaptive)
   * allocator, Netty 4.2 gave each network read of an upload a freshly allocated and zeroed direct
   * buffer (its fallback path, {@code ByteBuffer.allocateDirect}), 40 % of the event loop's CPU
   * during large uploads (async-profiler). Reads of up to 1 MiB instead of 64 KiB: a large upload
   * takes a sixteenth of the reads, each a system call and a trip through the pipeline. Event-loop
   * CPU per 64 MiB PUT: 77-79 ms before, 39-43 ms pooled, 27 ms with the larger reads (schedstat);
   * a small request still gets a 16 KiB buffer first, and the size adapts to what reads bring.
   */
  @Bean
  NettyServerCustomizer requestBodyReads() {
    return server ->
        server
            .childOption(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
            .childOption(
                ChannelOption.RCVBUF_ALLOCATOR,
                new AdaptiveRecvByteBufAllocator(512, 16 * 1024, 1024 * 1024));
  }

  /**
   * Cleans crash orphans {@code janitor-initial-delay} after start-up and then every {@code
   * janitor-interval}, one replica at a time (replicas share the bucket: two janitors would list
   * and delete the same orphans twice).
   */
  @Bean
  LeasedPeriodicWork blobJanitorPasses(
      BlobJanitor janitor, ConnectionFactory connectionFactory, BlobProperties blob) {
    return new LeasedPeriodicWork(
        new AdvisoryLease(connectionFactory, JANITOR_LEASE),
        blob.janitorInitialDelay(),
        blob.janitorInterval(),
        () -> janitor.sweep().timeout(Duration.ofMinutes(30)));
  }
}
