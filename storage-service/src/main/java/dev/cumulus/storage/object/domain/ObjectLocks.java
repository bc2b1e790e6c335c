package dev.cumulus.storage.object.domain;

import dev.cumulus.storage.bucket.domain.RetentionMode;
import java.time.Instant;

/**
 * S3 Object Lock's rules for one version: what its retention and legal hold forbid. A version whose
 * retention has passed is not protected by it any more; a delete marker is never locked.
 */
public final class ObjectLocks {

  private ObjectLocks() {}

  /**
   * Whether deleting {@code version} for good is refused at {@code now}: under a legal hold, or an
   * active retention (GOVERNANCE unless {@code bypassGovernance}).
   */
  public static boolean deletionRefused(
      StoredObject version, boolean bypassGovernance, Instant now) {
    if (version.deleteMarker()) {
      return false;
    }
    if (Boolean.TRUE.equals(version.legalHold())) {
      return true;
    }
    Retention retention = version.retention();
    if (retention == null || !retention.activeAt(now)) {
      return false;
    }
    return retention.mode() == RetentionMode.COMPLIANCE || !bypassGovernance;
  }

  /**
   * Whether a version's retention may change from {@code current} to {@code wanted} (null: none,
   * i.e. removed) at {@code now}. An active COMPLIANCE retention can only be kept or extended in
   * COMPLIANCE; an active GOVERNANCE one only kept or extended in GOVERNANCE, unless {@code
   * bypassGovernance} (which allows shortening, removing it, or making it COMPLIANCE).
   */
  public static boolean retentionChangeAllowed(
      Retention current, Retention wanted, boolean bypassGovernance, Instant now) {
    if (current == null || !current.activeAt(now)) {
      return true;
    }
    if (current.mode() == RetentionMode.GOVERNANCE && bypassGovernance) {
      return true;
    }
    return wanted != null
        && wanted.mode() == current.mode()
        && !wanted.retainUntil().isBefore(current.retainUntil());
  }
}
