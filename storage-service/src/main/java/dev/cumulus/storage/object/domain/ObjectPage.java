package dev.cumulus.storage.object.domain;

import java.util.List;

/**
 * One page of a listing: objects, and the common prefixes that stand for the keys rolled up at a
 * delimiter (S3's "folders"). {@code nextContinuationToken} is set when it is truncated.
 */
public record ObjectPage(
    List<StoredObject> objects,
    List<String> commonPrefixes,
    boolean truncated,
    String nextContinuationToken) {

  public ObjectPage(List<StoredObject> objects, boolean truncated, String nextContinuationToken) {
    this(objects, List.of(), truncated, nextContinuationToken);
  }
}
