package dev.cumulus.storage.object.domain;

/**
 * The Object Lock a write asks its new version to get ({@code x-amz-object-lock-mode}, {@code
 * -retain-until-date}, {@code -legal-hold}).
 *
 * @param retention null: the bucket's default retention, if it has one
 * @param legalHold null: none asked for
 */
public record ObjectLockRequest(Retention retention, Boolean legalHold) {

  public static final ObjectLockRequest NONE = new ObjectLockRequest(null, null);

  /** Whether it asks for anything (only a bucket with Object Lock takes that). */
  public boolean asksForLock() {
    return retention != null || legalHold != null;
  }
}
