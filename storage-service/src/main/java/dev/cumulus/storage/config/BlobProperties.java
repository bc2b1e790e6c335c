package dev.cumulus.storage.config;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Where object bytes live ({@code cumulus.storage.blob.*}).
 *
 * @param backend {@code filesystem} (default: files under {@code cumulus.storage.data-dir}, one
 *     node) or {@code s3} (any S3 API: AWS S3, Ceph RGW, MinIO; any number of replicas)
 * @param s3 the bucket of the {@code s3} backend
 * @param janitorInterval how often the janitor looks for crash orphans (after a first pass at
 *     start-up); one replica at a time does, under a database lease
 * @param janitorInitialDelay when the janitor's first pass starts after start-up
 */
@ConfigurationProperties("cumulus.storage.blob")
public record BlobProperties(
    String backend, S3 s3, Duration janitorInterval, Duration janitorInitialDelay) {

  public static final String FILESYSTEM = "filesystem";
  public static final String S3_BACKEND = "s3";

  public BlobProperties {
    backend = backend == null || backend.isBlank() ? FILESYSTEM : backend.trim().toLowerCase();
    if (!backend.equals(FILESYSTEM) && !backend.equals(S3_BACKEND)) {
      throw new IllegalArgumentException(
          "cumulus.storage.blob.backend must be filesystem or s3, not " + backend);
    }
    s3 =
        s3 == null
            ? new S3(null, null, null, null, null, null, null, null, null, null, null, null)
            : s3;
    janitorInterval = janitorInterval == null ? Duration.ofHours(1) : janitorInterval;
    janitorInitialDelay =
        janitorInitialDelay == null ? Duration.ofSeconds(10) : janitorInitialDelay;
  }

  /**
   * @param endpoint the S3 API's URL (MinIO, Ceph RGW); none for AWS S3 itself
   * @param region the region requests are signed for
   * @param bucket the bucket that holds every instance's blobs (it must exist)
   * @param accessKey with {@code secretKey}: static credentials; none for the SDK's default chain
   *     (environment, profile, instance role)
   * @param secretKey the access key's secret
   * @param pathStyle {@code http://host/bucket/key} instead of {@code http://bucket.host/key}
   *     (MinIO and Ceph usually want it)
   * @param keyPrefix prepended to every blob's key ({@code cumulus/} for a shared bucket)
   * @param partSize parts of a multipart upload (at least 5MB); a body shorter than this is one
   *     PutObject
   * @param uploadBuffer bytes an upload may hold in memory while its parts are sent
   * @param timeout how long the S3 API may leave a connection silent (reading or writing)
   * @param maxConnections connections to the S3 API at most (requests beyond wait for one)
   * @param uploadGrace the janitor leaves alone an upload, or an unreferenced object, younger than
   *     this (or than {@code cumulus.storage.janitor-grace}, if longer): S3 dates a multipart
   *     object from the upload's start, so this must outlast the longest upload plus its commit
   */
  public record S3(
      String endpoint,
      String region,
      String bucket,
      String accessKey,
      String secretKey,
      Boolean pathStyle,
      String keyPrefix,
      DataSize partSize,
      DataSize uploadBuffer,
      Duration timeout,
      Integer maxConnections,
      Duration uploadGrace) {

    public S3 {
      region = region == null || region.isBlank() ? "us-east-1" : region;
      pathStyle = pathStyle == null || pathStyle;
      keyPrefix = keyPrefix == null ? "" : keyPrefix;
      partSize = partSize == null ? DataSize.ofMegabytes(8) : partSize;
      uploadBuffer = uploadBuffer == null ? DataSize.ofMegabytes(16) : uploadBuffer;
      timeout = timeout == null ? Duration.ofSeconds(60) : timeout;
      maxConnections = maxConnections == null ? 128 : maxConnections;
      uploadGrace = uploadGrace == null ? Duration.ofHours(24) : uploadGrace;
    }
  }
}
