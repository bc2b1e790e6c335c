package dev.cumulus.storage.s3.web;

import dev.cumulus.storage.bucket.application.BucketService;
import dev.cumulus.storage.bucket.domain.Bucket;
import java.util.List;
import org.springframework.http.HttpHeaders;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/**
 * Encryption at rest in S3's terms, SSE-S3 ({@code AES256}: keys held by this service; SSE-KMS is
 * refused, SSE-C is {@link S3CustomerKeys}'s): Put/Get/DeleteBucketEncryption, the {@code
 * x-amz-server-side-encryption} request header of PutObject, CopyObject and CreateMultipartUpload,
 * and the same header on responses about an encrypted object.
 */
class S3EncryptionOperations {

  static final String HEADER = "x-amz-server-side-encryption";
  static final String AES256 = "AES256";
  private static final int MAX_BODY = 64 * 1024;

  private final BucketService buckets;

  S3EncryptionOperations(BucketService buckets) {
    this.buckets = buckets;
  }

  Mono<ServerResponse> get(S3Call call) {
    return buckets.require(call.instance(), call.bucket()).flatMap(this::configuration);
  }

  Mono<ServerResponse> put(S3Call call) {
    return call.xmlBody(MAX_BODY)
        .flatMap(
            body -> {
              List<String> algorithms = S3Xml.texts(body, "SSEAlgorithm");
              if (algorithms.size() != 1) {
                return Mono.error(
                    S3Xml.malformed(
                        "ServerSideEncryptionConfiguration needs one Rule with an SSEAlgorithm"));
              }
              requireAes256(algorithms.get(0).strip());
              return buckets.setEncryption(call.instance(), call.bucket(), true);
            })
        .then(ServerResponse.ok().build());
  }

  Mono<ServerResponse> delete(S3Call call) {
    return buckets
        .setEncryption(call.instance(), call.bucket(), false)
        .then(ServerResponse.noContent().build());
  }

  private Mono<ServerResponse> configuration(Bucket bucket) {
    if (!bucket.encryption()) {
      return Mono.error(
          S3ErrorCode.SERVER_SIDE_ENCRYPTION_CONFIGURATION_NOT_FOUND.error(
              "Bucket '" + bucket.name() + "' has no default encryption"));
    }
    return S3BucketOperations.xml(
        S3Xml.document("ServerSideEncryptionConfiguration")
            .open("Rule")
            .open("ApplyServerSideEncryptionByDefault")
            .element("SSEAlgorithm", AES256)
            .close("ApplyServerSideEncryptionByDefault")
            .element("BucketKeyEnabled", false)
            .close("Rule")
            .end("ServerSideEncryptionConfiguration"));
  }

  /**
   * Whether the request asks for its object to be encrypted ({@code x-amz-server-side-encryption:
   * AES256}); any other algorithm is refused before a byte is read.
   */
  static boolean requested(S3Call call) {
    String algorithm = call.header(HEADER);
    if (algorithm == null) {
      return false;
    }
    requireAes256(algorithm.strip());
    return true;
  }

  /** Names an encrypted object on a response. */
  static void responseHeader(HttpHeaders headers, boolean encrypted) {
    if (encrypted) {
      headers.set(HEADER, AES256);
    }
  }

  private static void requireAes256(String algorithm) {
    if (AES256.equals(algorithm)) {
      return;
    }
    throw S3ErrorCode.INVALID_ARGUMENT.error(
        "The encryption method specified is not supported",
        algorithm.startsWith("aws:kms")
            ? algorithm
                + " needs AWS KMS; this endpoint encrypts with keys it manages itself:"
                + " use AES256 (SSE-S3)"
            : "Server-side encryption must be AES256, not " + algorithm);
  }
}
