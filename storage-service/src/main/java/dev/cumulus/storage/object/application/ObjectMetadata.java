package dev.cumulus.storage.object.application;

import dev.cumulus.storage.object.domain.ObjectLockRequest;
import java.util.Map;

/**
 * Content type, user metadata, tags and Object Lock of an object version.
 *
 * @param tags its S3 object tags, null or empty for none
 * @param lock the Object Lock its write asks for, null for none (the bucket's default retention
 *     applies either way)
 */
public record ObjectMetadata(
    String contentType,
    Map<String, String> userMetadata,
    Map<String, String> tags,
    ObjectLockRequest lock) {

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
