package dev.cumulus.e2e;

import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;

/** The stock AWS SDK v2 S3 client as the e2e tests use it: path-style, one instance's key pair. */
final class S3Clients {

  private S3Clients() {}

  /**
   * @param endpoint the gateway's (or a storage-service's) {@code /s3}
   * @param chunked streaming (aws-chunked) signing: bytes go out as they are read, not hashed first
   */
  static S3Client of(URI endpoint, String accessKey, String secret, boolean chunked) {
    return S3Client.builder()
        .endpointOverride(endpoint)
        .region(Region.US_EAST_1)
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secret)))
        .forcePathStyle(true)
        .serviceConfiguration(S3Configuration.builder().chunkedEncodingEnabled(chunked).build())
        .httpClient(UrlConnectionHttpClient.create())
        .build();
  }
}
