package dev.cumulus.storage.object.application;

import dev.cumulus.storage.object.domain.ObjectChecksum;
import dev.cumulus.storage.object.domain.ObjectLockRequest;
import java.util.Map;

/**
 * Content type, user metadata, tags and Object Lock of an object version.
 *
 * @param tags its S3 object tags, null or empty for none
 * @param lock the Object Lock its write asks for, null for none (the bucket's default retention
 *     applies either way)
 * @param customerKey the fingerprint of the key the client sealed the bytes with (SSE-C), null for
 *     none
 * @param checksum the checksum the client sent with the bytes, null for none
 */
public record ObjectMetadata(
    String contentType,
    Map<String, String> userMetadata,
    Map<String, String> tags,
    ObjectLockRequest lock,
    byte[] customerKey,
    ObjectChecksum checksum) {

  public ObjectMetadata(
      String contentType,
      Map<String, String> userMetadata,
      Map<String, String> tags,
      ObjectLockRequest lock) {
    this(contentType, userMetadata, tags, lock, null, null);
  }

  /** The same, with the bytes' SSE-C key fingerprint and checksum (each null for none). */
  public ObjectMetadata sealed(byte[] customerKey, ObjectChecksum checksum) {
    return new ObjectMetadata(contentType, userMetadata, tags, lock, customerKey, checksum);
  }

  /** Without tags. */
  public ObjectMetadata(String contentType, Map<String, String> userMetadata) {
    this(contentType, userMetadata, Map.of());
  }

  /** Without a lock of its own. */
  public ObjectMetadata(
      String contentType, Map<String, String> userMetadata, Map<String, String> tags) {
    this(contentType, userMetadata, tags, null);
  }
}
