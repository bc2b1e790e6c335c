package dev.cumulus.storage.config;

import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Storage settings.
 *
 * @param dataDir root of the object bytes ({@code tmp/} for uploads in flight, {@code blobs/} for
 *     committed objects)
 * @param janitorGrace temporary or unreferenced files older than this are orphans of a crash
 * @param ioThreads threads for blocking file operations (open, fsync, move, delete)
 * @param s3 the S3 wire-protocol endpoint
 * @param masterKey base64 of 32 bytes wrapping tenants' data keys (encryption at rest); the dev
 *     profile generates {@code <dataDir>/master-key} when it is not set
 * @param previousMasterKeys retired master keys, comma-separated base64 (env {@code
 *     CUMULUS_STORAGE_PREVIOUS_MASTER_KEYS}): still opened, and the data keys they wrap are wrapped
 *     again under {@code masterKey} after start-up
 * @param dataKeyCacheTtl how long an unwrapped data key stays in memory
 * @param inlineThreshold plain (not encrypted) objects up to this size keep their bytes in their
 *     PostgreSQL row instead of a file (at most 256KB; 0: every object is a file). Such a PUT costs
 *     one commit, no file create, fsync or rename; a GET reads the row it reads anyway.
 * @param commitBatch group commit of object writes
 * @param bucketReadCacheTtl buckets as object requests (GET, HEAD, listings, PUT, DELETE) see them:
 *     a change made through another node shows this much later (bucket operations, copies,
 *     multipart read the row)
 */
@ConfigurationProperties("cumulus.storage")
public record StorageProperties(
    Path dataDir,
    Duration janitorGrace,
    Integer ioThreads,
    S3 s3,
    String masterKey,
    String previousMasterKeys,
    Duration dataKeyCacheTtl,
    DataSize inlineThreshold,
    CommitBatch commitBatch,
    Duration bucketReadCacheTtl) {

  public StorageProperties {
    dataDir = dataDir == null ? Path.of(".cumulus/data/storage") : dataDir;
    janitorGrace = janitorGrace == null ? Duration.ofMinutes(5) : janitorGrace;
    // Threads mostly wait for fsync, not the CPU: one per concurrent upload keeps them flowing.
    ioThreads = ioThreads == null ? 32 : ioThreads;
    s3 = s3 == null ? new S3(null, null, null, null) : s3;
    dataKeyCacheTtl = dataKeyCacheTtl == null ? Duration.ofMinutes(10) : dataKeyCacheTtl;
    inlineThreshold = inlineThreshold == null ? DataSize.ofKilobytes(32) : inlineThreshold;
    commitBatch = commitBatch == null ? new CommitBatch(null, null) : commitBatch;
    bucketReadCacheTtl = bucketReadCacheTtl == null ? Duration.ofSeconds(2) : bucketReadCacheTtl;
  }

  /**
   * Group commit: PUTs ready while earlier commits are being written share one statement (one
   * transaction, one WAL flush).
   *
   * @param maxSize at most this many commits per statement
   * @param maxInFlight at most this many such statements at once (connections they hold)
   */
  public record CommitBatch(Integer maxSize, Integer maxInFlight) {

    public CommitBatch {
      maxSize = maxSize == null ? 32 : maxSize;
      maxInFlight = maxInFlight == null ? 2 : maxInFlight;
    }
  }

  /**
   * @param pathPrefix where the S3 API is mounted ({@code /s3}: clients use {@code
   *     http://host:port/s3} as endpoint URL, path-style)
   * @param region the region clients sign for and GetBucketLocation reports (signing keys and their
   *     cache: platform's {@code cumulus.auth-service.*})
   * @param sseCRequiresHttps whether SSE-C requests (the client's key in a header) are refused
   *     unless they arrived over HTTPS, as S3 refuses them (true by default; see S3CustomerKeys)
   * @param publicUrl the origin clients reach the S3 endpoint at ({@code
   *     https://cloud.example.com}, the gateway's; no path: {@code pathPrefix} follows), for the
   *     share links the REST API signs; null or blank: the origin of the request asking for the
   *     link (see ShareLinkController)
   */
  public record S3(String pathPrefix, String region, Boolean sseCRequiresHttps, String publicUrl) {

    public S3 {
      sseCRequiresHttps = sseCRequiresHttps == null || sseCRequiresHttps;
      pathPrefix = pathPrefix == null ? "/s3" : pathPrefix;
      // Blank: an environment variable mapped in application.yml was not set.
      region = region == null || region.isBlank() ? "us-east-1" : region;
      publicUrl = publicUrl == null || publicUrl.isBlank() ? null : publicUrl.strip();
    }
  }
}
