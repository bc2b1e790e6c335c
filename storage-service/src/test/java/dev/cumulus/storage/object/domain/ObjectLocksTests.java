package dev.cumulus.storage.object.domain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cumulus.storage.bucket.domain.RetentionMode;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ObjectLocksTests {

  static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");
  static final Retention GOVERNANCE_1H =
      new Retention(RetentionMode.GOVERNANCE, NOW.plus(Duration.ofHours(1)));
  static final Retention COMPLIANCE_1H =
      new Retention(RetentionMode.COMPLIANCE, NOW.plus(Duration.ofHours(1)));

  static StoredObject version(Retention retention, Boolean legalHold) {
    return new StoredObject(
            UUID.randomUUID(),
            "k",
            1,
            "e",
            "text/plain",
            Map.of(),
            "p",
            NOW,
            "v1",
            true,
            false,
            false,
            null,
            Map.of())
        .withLock(retention, legalHold);
  }

  static Retention in(RetentionMode mode, long minutes) {
    return new Retention(mode, NOW.plus(Duration.ofMinutes(minutes)));
  }

  @Test
  void deletesAreRefusedWhileAVersionIsLocked() {
    assertThat(ObjectLocks.deletionRefused(version(null, null), false, NOW)).isFalse();
    assertThat(ObjectLocks.deletionRefused(version(null, false), false, NOW)).isFalse();
    assertThat(ObjectLocks.deletionRefused(version(null, true), true, NOW)).isTrue();
    assertThat(ObjectLocks.deletionRefused(version(GOVERNANCE_1H, null), false, NOW)).isTrue();
    assertThat(ObjectLocks.deletionRefused(version(GOVERNANCE_1H, null), true, NOW)).isFalse();
    assertThat(ObjectLocks.deletionRefused(version(GOVERNANCE_1H, true), true, NOW)).isTrue();
    assertThat(ObjectLocks.deletionRefused(version(COMPLIANCE_1H, null), true, NOW)).isTrue();
    // A retention that has passed protects nothing.
    Instant later = NOW.plus(Duration.ofHours(1));
    assertThat(ObjectLocks.deletionRefused(version(COMPLIANCE_1H, null), false, later)).isFalse();
  }

  @Test
  void complianceIsOnlyKeptOrExtended() {
    assertThat(
            ObjectLocks.retentionChangeAllowed(
                COMPLIANCE_1H, in(RetentionMode.COMPLIANCE, 120), false, NOW))
        .isTrue();
    assertThat(ObjectLocks.retentionChangeAllowed(COMPLIANCE_1H, COMPLIANCE_1H, false, NOW))
        .isTrue();
    assertThat(
            ObjectLocks.retentionChangeAllowed(
                COMPLIANCE_1H, in(RetentionMode.COMPLIANCE, 30), true, NOW))
        .isFalse();
    assertThat(
            ObjectLocks.retentionChangeAllowed(
                COMPLIANCE_1H, in(RetentionMode.GOVERNANCE, 120), true, NOW))
        .isFalse();
    assertThat(ObjectLocks.retentionChangeAllowed(COMPLIANCE_1H, null, true, NOW)).isFalse();
  }

  @Test
  void governanceGivesWayToTheBypassOnly() {
    assertThat(
            ObjectLocks.retentionChangeAllowed(
                GOVERNANCE_1H, in(RetentionMode.GOVERNANCE, 120), false, NOW))
        .isTrue();
    assertThat(
            ObjectLocks.retentionChangeAllowed(
                GOVERNANCE_1H, in(RetentionMode.GOVERNANCE, 30), false, NOW))
        .isFalse();
    assertThat(ObjectLocks.retentionChangeAllowed(GOVERNANCE_1H, null, false, NOW)).isFalse();
    assertThat(
            ObjectLocks.retentionChangeAllowed(
                GOVERNANCE_1H, in(RetentionMode.COMPLIANCE, 120), false, NOW))
        .isFalse();
    assertThat(
            ObjectLocks.retentionChangeAllowed(
                GOVERNANCE_1H, in(RetentionMode.GOVERNANCE, 30), true, NOW))
        .isTrue();
    assertThat(ObjectLocks.retentionChangeAllowed(GOVERNANCE_1H, null, true, NOW)).isTrue();
    // None yet, or one that has passed: anything goes.
    assertThat(ObjectLocks.retentionChangeAllowed(null, COMPLIANCE_1H, false, NOW)).isTrue();
    assertThat(
            ObjectLocks.retentionChangeAllowed(
                COMPLIANCE_1H, null, false, NOW.plus(Duration.ofHours(2))))
        .isTrue();
  }
}
