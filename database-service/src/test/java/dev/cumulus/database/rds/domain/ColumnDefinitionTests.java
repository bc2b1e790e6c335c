package dev.cumulus.database.rds.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cumulus.platform.error.ApiException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ColumnDefinitionTests {

  @Test
  void theSeedsColumnsAreWrittenOutFromTheirParts() {
    assertThat(ColumnDefinition.parse("id", "SERIAL PRIMARY KEY").sql())
        .isEqualTo("\"id\" serial PRIMARY KEY");
    assertThat(ColumnDefinition.parse("name", "VARCHAR(255) NOT NULL").sql())
        .isEqualTo("\"name\" varchar(255) NOT NULL");
    assertThat(ColumnDefinition.parse("email", "VARCHAR(255) UNIQUE NOT NULL").sql())
        .isEqualTo("\"email\" varchar(255) NOT NULL UNIQUE");
    assertThat(ColumnDefinition.parse("active", "BOOLEAN DEFAULT true").sql())
        .isEqualTo("\"active\" boolean DEFAULT TRUE");
    assertThat(ColumnDefinition.parse("created_at", "TIMESTAMP DEFAULT CURRENT_TIMESTAMP").sql())
        .isEqualTo("\"created_at\" timestamp DEFAULT CURRENT_TIMESTAMP");
  }

  @Test
  void moreTypesAndDefaults() {
    assertThat(ColumnDefinition.parse("p", "numeric(10, 2) default -1.5").sql())
        .isEqualTo("\"p\" numeric(10,2) DEFAULT -1.5");
    assertThat(ColumnDefinition.parse("t", "timestamp with time zone DEFAULT now()").sql())
        .isEqualTo("\"t\" timestamptz DEFAULT now()");
    assertThat(ColumnDefinition.parse("tags", "text[] DEFAULT '{}'::text[]").sql())
        .isEqualTo("\"tags\" text[] DEFAULT '{}'::text[]");
    assertThat(ColumnDefinition.parse("u", "uuid PRIMARY KEY DEFAULT gen_random_uuid()").sql())
        .isEqualTo("\"u\" uuid PRIMARY KEY DEFAULT gen_random_uuid()");
    assertThat(ColumnDefinition.parse("d", "double precision").sql())
        .isEqualTo("\"d\" double precision");
    assertThat(ColumnDefinition.of("j", "jsonb", false, false, true, "'{}'").sql())
        .isEqualTo("\"j\" jsonb NOT NULL UNIQUE DEFAULT '{}'");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "INT); DROP TABLE users; --",
        "INT DEFAULT (SELECT 1)",
        "INT DEFAULT pg_sleep(10)",
        "TEXT DEFAULT 'a'); DROP TABLE x; --'",
        "TEXT DEFAULT 'unterminated",
        "INT REFERENCES other(id)",
        "INT CHECK (1=1)",
        "integer(5)",
        "varchar(99999)",
        "FOO",
        "INT /* comment */",
        "INT; SELECT 1",
      })
  void anythingElseIsRefused(String definition) {
    assertThatThrownBy(() -> ColumnDefinition.parse("c", definition))
        .isInstanceOf(ApiException.class)
        .hasMessageStartingWith("Column 'c'");
  }

  @Test
  void columnNamesAreValidated() {
    assertThatThrownBy(() -> ColumnDefinition.parse("a\"b", "INT"))
        .isInstanceOf(ApiException.class)
        .hasMessageContaining("Invalid column name");
    assertThatThrownBy(() -> ColumnDefinition.of("c", "INT NOT NULL", null, false, false, null))
        .isInstanceOf(ApiException.class)
        .hasMessageContaining("fields beside");
  }
}
