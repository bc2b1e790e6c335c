package dev.cumulus.storage.multipart.domain;

import dev.cumulus.storage.object.domain.ObjectLockRequest;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * A multipart upload in flight: the object it will become once completed.
 *
 * @param encrypted whether its parts, and the object, are encrypted at rest (decided at creation)
 * @param tags the tags the object gets (S3's x-amz-tagging on CreateMultipartUpload)
 * @param lock the Object Lock the object asks for (x-amz-object-lock-* on CreateMultipartUpload),
 *     null for none
 * @param customerKey the fingerprint of the client's key that seals its parts and object (SSE-C),
 *     null for none
 * @param checksumAlgorithm the checksum algorithm its parts carry (S3's name, from
 *     x-amz-checksum-algorithm), null for none
 */
public record MultipartUpload(
    String uploadId,
    UUID bucketId,
    String key,
    String contentType,
    Map<String, String> userMetadata,
    Instant initiatedAt,
    boolean encrypted,
    Map<String, String> tags,
    ObjectLockRequest lock,
    byte[] customerKey,
    String checksumAlgorithm) {

  public MultipartUpload {
    tags = tags == null ? Map.of() : tags;
  }
}
