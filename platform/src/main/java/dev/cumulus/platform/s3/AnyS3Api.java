package dev.cumulus.platform.s3;

import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3AsyncClientBuilder;

/**
 * An async S3 client builder that any S3 API accepts (AWS S3, MinIO, Ceph RGW), for the services
 * that keep bytes in an operator's bucket: storage's blob backend and RDS backups. The AWS SDK is
 * an optional dependency of platform: only those services bring it.
 */
public final class AnyS3Api {

  private AnyS3Api() {}

  /**
   * Static credentials when an access key is given, else the SDK's default chain (environment,
   * profile, instance role); the endpoint when one is given, else AWS S3's; checksums only where S3
   * requires them, since every S3 API understands those. The caller adds its HTTP client.
   */
  public static S3AsyncClientBuilder builder(
      String region, String accessKey, String secretKey, boolean pathStyle, String endpoint) {
    AwsCredentialsProvider credentials =
        accessKey == null || accessKey.isBlank()
            ? DefaultCredentialsProvider.builder().build()
            : StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey));
    S3AsyncClientBuilder builder =
        S3AsyncClient.builder()
            .region(Region.of(region))
            .credentialsProvider(credentials)
            .forcePathStyle(pathStyle)
            .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
            .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
    if (endpoint != null && !endpoint.isBlank()) {
      builder.endpointOverride(URI.create(endpoint));
    }
    return builder;
  }
}
