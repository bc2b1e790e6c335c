package dev.cumulus.storage.lifecycle.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** S3's timing: an action is due at the first midnight UTC after start + days. */
class LifecycleRuleTests {

  static LifecycleRule expireAfter(int days) {
    return new LifecycleRule(
        "r", "logs/", true, new LifecycleRule.Expiration(days, null, false), null, null);
  }

  @Test
  void anObjectExpiresAtTheMidnightAfterItsDays() {
    // AWS's own example: created 2014-01-15 10:30 UTC, 3 days -> expires 2014-01-19 00:00 UTC.
    Instant created = Instant.parse("2014-01-15T10:30:00Z");
    LifecycleRule rule = expireAfter(3);
    assertThat(rule.expiryOf("logs/a", created)).contains(Instant.parse("2014-01-19T00:00:00Z"));
    Instant before = Instant.parse("2014-01-18T23:59:59Z");
    Instant at = Instant.parse("2014-01-19T00:00:00Z");
    assertThat(created.isBefore(rule.currentVersionCutoff(before).orElseThrow())).isFalse();
    assertThat(created.isBefore(rule.currentVersionCutoff(at).orElseThrow())).isTrue();
    assertThat(rule.expiryOf("other/a", created)).isEmpty();
  }

  @Test
  void disabledRulesAndFutureDatesExpireNothing() {
    LifecycleRule disabled =
        new LifecycleRule("d", "", false, new LifecycleRule.Expiration(1, null, false), null, 1);
    Instant now = Instant.parse("2030-06-01T12:00:00Z");
    assertThat(disabled.currentVersionCutoff(now)).isEmpty();
    assertThat(disabled.incompleteUploadCutoff(now)).isEmpty();
    LifecycleRule dated =
        new LifecycleRule(
            "t",
            "",
            true,
            new LifecycleRule.Expiration(null, Instant.parse("2030-06-02T00:00:00Z"), false),
            null,
            null);
    assertThat(dated.currentVersionCutoff(now)).isEmpty();
    assertThat(dated.currentVersionCutoff(Instant.parse("2030-06-02T00:00:00Z"))).isPresent();
  }

  @Test
  void configurationViolations() {
    LifecycleRule ok = expireAfter(1);
    assertThat(new LifecycleConfiguration(List.of(ok)).violation()).isEmpty();
    assertThat(new LifecycleConfiguration(List.of(ok, ok)).violation()).isPresent();
    assertThat(new LifecycleConfiguration(List.of(expireAfter(0))).violation()).isPresent();
    assertThat(
            new LifecycleConfiguration(
                    List.of(new LifecycleRule("x".repeat(256), "", true, null, null, 1)))
                .violation())
        .isPresent();
    assertThat(
            new LifecycleConfiguration(
                    List.of(
                        new LifecycleRule(
                            "n",
                            "",
                            true,
                            null,
                            new LifecycleRule.NoncurrentExpiration(1, 101),
                            null)))
                .violation())
        .isPresent();
  }
}
