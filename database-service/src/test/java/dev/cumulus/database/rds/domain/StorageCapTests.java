package dev.cumulus.database.rds.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class StorageCapTests {

  @Test
  void deleteTruncateAndDropFreeSpace() {
    assertThat(StorageCap.freesSpace("DELETE FROM t WHERE id = 1")).isTrue();
    assertThat(StorageCap.freesSpace("  \n delete from t")).isTrue();
    assertThat(StorageCap.freesSpace("TRUNCATE t")).isTrue();
    assertThat(StorageCap.freesSpace("drop table t")).isTrue();
  }

  @Test
  void everythingElseDoesNot() {
    assertThat(StorageCap.freesSpace("INSERT INTO t VALUES (1)")).isFalse();
    assertThat(StorageCap.freesSpace("UPDATE t SET a = 1")).isFalse();
    assertThat(
            StorageCap.freesSpace(
                "WITH d AS (DELETE FROM t RETURNING *) INSERT INTO u SELECT * FROM d"))
        .isFalse();
    assertThat(StorageCap.freesSpace("DELETEX")).isFalse();
    assertThat(StorageCap.freesSpace("dropped")).isFalse();
    // A leading comment does not count: a nested one could hide where the statement starts.
    assertThat(StorageCap.freesSpace("/* a /* b */ DELETE */ INSERT INTO t VALUES (1)")).isFalse();
    assertThat(StorageCap.freesSpace("-- x\nDELETE FROM t")).isFalse();
    assertThat(StorageCap.freesSpace(null)).isFalse();
  }

  @Test
  void theRefusalNamesThePlansLimit() {
    PlanLimits limits = new PlanLimits(5, Duration.ofSeconds(1), "4MB", "-1", "10MB");
    assertThat(StorageCap.refusal(limits)).contains("storage limit (10MB)").contains("DELETE");
  }
}
