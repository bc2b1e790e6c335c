package dev.cumulus.storage.blob.s3;

import dev.cumulus.platform.s3.AnyS3Api;
import dev.cumulus.storage.config.BlobProperties;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.multipart.MultipartConfiguration;

/** The async S3 client of the S3 blob backend, from {@code cumulus.storage.blob.s3.*}. */
public final class S3BlobClients {

  /** S3's smallest part (every part but the last). */
  private static final long MIN_PART_SIZE = 5L * 1024 * 1024;

  private S3BlobClients() {}

  public static S3AsyncClient create(BlobProperties.S3 settings) {
    long part = settings.partSize().toBytes();
    long buffer = settings.uploadBuffer().toBytes();
    if (part < MIN_PART_SIZE) {
      throw new IllegalStateException(
          "cumulus.storage.blob.s3.part-size must be at least 5MB, not " + part);
    }
    if (buffer < part) {
      throw new IllegalStateException(
          "cumulus.storage.blob.s3.upload-buffer must be at least part-size (" + part + ")");
    }
    return AnyS3Api.builder(
            settings.region(),
            settings.accessKey(),
            settings.secretKey(),
            settings.pathStyle(),
            settings.endpoint())
        .httpClientBuilder(
            NettyNioAsyncHttpClient.builder()
                .maxConcurrency(settings.maxConnections())
                .readTimeout(settings.timeout())
                .writeTimeout(settings.timeout()))
        // A body of unknown length is cut into parts as it arrives, holding at most
        // upload-buffer bytes; one shorter than a part is a single PutObject.
        .multipartEnabled(true)
        .multipartConfiguration(
            MultipartConfiguration.builder()
                .thresholdInBytes(part)
                .minimumPartSizeInBytes(part)
                .apiCallBufferSizeInBytes(buffer)
                .build())
        .build();
  }
}
