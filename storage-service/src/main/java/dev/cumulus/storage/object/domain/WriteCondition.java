package dev.cumulus.storage.object.domain;

/**
 * A conditional write (S3, 2024): PutObject, CopyObject or CompleteMultipartUpload only when the
 * key has no current object ({@code If-None-Match: *}), or only when its current object has one of
 * the given ETags ({@code If-Match}). A delete marker is no object.
 *
 * @param ifMatch the If-Match header (ETags, quoted or not), or null
 * @param ifNoneMatch whether {@code If-None-Match: *} was sent
 */
public record WriteCondition(String ifMatch, boolean ifNoneMatch) {

  /** What the condition says of the key's current object. */
  public enum Verdict {
    PROCEED,
    /** If-Match on a key without an object: S3's 404 NoSuchKey. */
    NO_OBJECT,
    /** S3's 412 PreconditionFailed. */
    FAILED
  }

  /** The condition of a request without If-Match and If-None-Match: null, no condition. */
  public static WriteCondition of(String ifMatch, boolean ifNoneMatch) {
    return ifMatch == null && !ifNoneMatch ? null : new WriteCondition(ifMatch, ifNoneMatch);
  }

  /**
   * @param current the key's latest version, null when it has none (a delete marker counts as none)
   */
  public Verdict check(StoredObject current) {
    boolean exists = current != null && !current.deleteMarker();
    if (ifNoneMatch && exists) {
      return Verdict.FAILED;
    }
    if (ifMatch != null) {
      if (!exists) {
        return Verdict.NO_OBJECT;
      }
      if (!Preconditions.matchesAny(ifMatch, current.etag())) {
        return Verdict.FAILED;
      }
    }
    return Verdict.PROCEED;
  }
}
