package dev.cumulus.platform.db;

import static org.assertj.core.api.Assertions.assertThat;

import io.r2dbc.spi.R2dbcDataIntegrityViolationException;
import io.r2dbc.spi.R2dbcNonTransientResourceException;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataIntegrityViolationException;

class SqlStatesTests {

  @Test
  void findsTheStateAmongTheCausesAsSpringWrapsThem() {
    var duplicate = new R2dbcDataIntegrityViolationException("duplicate key", "23505");
    var wrapped = new DataIntegrityViolationException("executing INSERT", duplicate);

    assertThat(SqlStates.of(wrapped)).isEqualTo("23505");
    assertThat(SqlStates.isUniqueViolation(wrapped)).isTrue();
    assertThat(SqlStates.isForeignKeyViolation(wrapped)).isFalse();
    assertThat(
            SqlStates.isForeignKeyViolation(
                new R2dbcDataIntegrityViolationException("no such bucket", "23503")))
        .isTrue();
  }

  @Test
  void anErrorWithoutAStateHasNone() {
    assertThat(SqlStates.of(new IllegalStateException("boom"))).isNull();
    assertThat(SqlStates.of(new R2dbcNonTransientResourceException("closed"))).isNull();
    assertThat(SqlStates.isUniqueViolation(new RuntimeException(new RuntimeException()))).isFalse();
  }
}
