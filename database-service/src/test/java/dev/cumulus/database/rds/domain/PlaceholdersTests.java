package dev.cumulus.database.rds.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class PlaceholdersTests {

  @Test
  void questionMarksBecomeNumberedOutsideQuotesAndComments() {
    Placeholders.Numbered numbered =
        Placeholders.number(
            "SELECT '?', \"a?\", $$?$$, $tag$ ? $tag$ FROM t -- ?\n WHERE a = ? /* ? */ AND b = ?");
    assertThat(numbered.sql())
        .isEqualTo(
            "SELECT '?', \"a?\", $$?$$, $tag$ ? $tag$ FROM t -- ?\n WHERE a = $1 /* ? */ AND b = $2");
    assertThat(numbered.count()).isEqualTo(2);
    assertThat(Placeholders.number("SELECT 'it''s ?', ?").sql()).isEqualTo("SELECT 'it''s ?', $1");
  }

  @Test
  void numberedStatementsAreLeftAlone() {
    Placeholders.Numbered numbered = Placeholders.number("SELECT $1 WHERE j ? 'k'");
    assertThat(numbered.sql()).isEqualTo("SELECT $1 WHERE j ? 'k'");
    assertThat(numbered.count()).isEqualTo(-1);
  }

  @Test
  void namedParametersAreNumberedInOrderOfFirstUse() {
    Placeholders.Named named =
        Placeholders.named(
            "SELECT :b::int, ':a', :a, :b FROM t WHERE x = :a_1",
            n -> n.equals("a") ? "::uuid" : "");
    assertThat(named.sql()).isEqualTo("SELECT $1::int, ':a', $2::uuid, $1 FROM t WHERE x = $3");
    assertThat(named.names()).isEqualTo(List.of("b", "a", "a_1"));
  }
}
