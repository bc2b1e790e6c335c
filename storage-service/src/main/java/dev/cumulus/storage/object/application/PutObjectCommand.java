package dev.cumulus.storage.object.application;

import dev.cumulus.platform.instance.Instance;
import dev.cumulus.storage.blob.encryption.CustomerKey;
import dev.cumulus.storage.object.domain.ObjectChecksum;
import dev.cumulus.storage.object.domain.ObjectLockRequest;
import dev.cumulus.storage.object.domain.WriteCondition;
import java.util.Map;
import java.util.function.Supplier;
import org.springframework.core.io.buffer.DataBuffer;
import reactor.core.publisher.Flux;

/**
 * PutObject: stores {@code content} as the object at {@code key}.
 *
 * @param contentType null or blank for {@code application/octet-stream}
 * @param userMetadata null for none
 * @param expectedMd5Hex the MD5 the client says it sent (hex), or null: when the bytes do not match
 *     it, nothing is committed and the error is {@code BadDigest}
 * @param encrypt encrypt at rest even when the bucket does not by default (S3's {@code
 *     x-amz-server-side-encryption})
 * @param declaredSize the object's size as the request declares it before its bytes ({@code
 *     Content-Length}, or {@code x-amz-decoded-content-length} for aws-chunked), -1 when unknown:
 *     an object above the tenant's largest is refused before its bytes are read
 * @param tags its S3 object tags (x-amz-tagging), empty for none
 * @param condition what the key's current object must be for the write to happen (If-Match,
 *     If-None-Match), null for no condition
 * @param lock the Object Lock the new version asks for (x-amz-object-lock-*), null for none
 * @param checksummed whether the request carries an x-amz-checksum-* of its body (verified as it
 *     streams): with {@code expectedMd5Hex}, what AWS requires of a write with Object Lock
 * @param customerKey the key the client seals the object with (SSE-C), null for none
 * @param checksum once {@code content} has completed, the checksum the client sent with it (and
 *     that was verified), or null for none
 */
public record PutObjectCommand(
    Instance instance,
    String bucket,
    String key,
    String contentType,
    Map<String, String> userMetadata,
    String expectedMd5Hex,
    boolean encrypt,
    long declaredSize,
    Map<String, String> tags,
    WriteCondition condition,
    ObjectLockRequest lock,
    boolean checksummed,
    CustomerKey customerKey,
    Supplier<ObjectChecksum> checksum,
    Flux<DataBuffer> content) {

  /** A plain upload: no user metadata, no digest to check, the bucket's default encryption. */
  public static PutObjectCommand of(
      Instance instance, String bucket, String key, String contentType, Flux<DataBuffer> content) {
    return new PutObjectCommand(
        instance,
        bucket,
        key,
        contentType,
        Map.of(),
        null,
        false,
        -1,
        Map.of(),
        null,
        null,
        false,
        null,
        () -> null,
        content);
  }
}
