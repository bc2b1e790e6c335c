package dev.cumulus.database.rds.domain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DatabaseNamesTests {

  @Test
  void namesAreReadableDistinctAndFitPostgres() {
    assertThat(DatabaseNames.of("Orders-DB.1")).matches("rds_orders_db_1_[0-9a-f]{8}");
    assertThat(DatabaseNames.of("orders-db")).isNotEqualTo(DatabaseNames.of("orders_db"));
    assertThat(DatabaseNames.of("x".repeat(128))).hasSizeLessThanOrEqualTo(63);
    assertThat(DatabaseNames.of("a")).isEqualTo(DatabaseNames.of("a"));
  }
}
