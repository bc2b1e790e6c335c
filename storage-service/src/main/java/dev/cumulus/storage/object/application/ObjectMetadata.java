package dev.cumulus.storage.object.application;

import java.util.Map;

/**
 * Content type, user metadata and tags of an object version.
 *
 * @param tags its S3 object tags, null or empty for none
 */
public record ObjectMetadata(
    String contentType, Map<String, String> userMetadata, Map<String, String> tags) {

  /** Without tags. */
  public ObjectMetadata(String contentType, Map<String, String> userMetadata) {
    this(contentType, userMetadata, Map.of());
  }
}
