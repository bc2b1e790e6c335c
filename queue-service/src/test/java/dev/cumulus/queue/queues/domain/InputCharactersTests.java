package dev.cumulus.queue.queues.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cumulus.platform.error.ApiException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Text that PostgreSQL cannot store (NUL) or SQS does not allow is refused as the caller's error
 * before it reaches the database, where it failed as a 500.
 */
class InputCharactersTests {

  @Test
  void sqsCharactersFindsTheFirstCharacterOutsideSqsSet() {
    assertThat(SqsCharacters.firstInvalid("plain text\t\n\r é 😀")).isEqualTo(-1);
    assertThat(SqsCharacters.firstInvalid(null)).isEqualTo(-1);
    assertThat(SqsCharacters.firstInvalid("a\u0000b")).isZero();
    assertThat(SqsCharacters.firstInvalid("a\u0001")).isEqualTo(1);
    assertThat(SqsCharacters.named(0xFFFE)).isEqualTo("#xfffe");
  }

  @Test
  void anAttributeValueOrTypeWithANulIsAnInvalidParameter() {
    assertInvalid(
        () ->
            MessageAttribute.check(
                Map.of("name", new MessageAttribute("String", "a\u0000b", null))),
        "#x0");
    assertInvalid(
        () ->
            MessageAttribute.check(
                Map.of("name", new MessageAttribute("Binary.\u0000", null, new byte[] {0}))),
        "#x0");
    // Binary values are bytes: a zero byte is fine there.
    MessageAttribute.check(Map.of("name", new MessageAttribute("Binary", null, new byte[] {0})));
    MessageAttribute.check(Map.of("name", new MessageAttribute("String.x", "é", null)));
  }

  @Test
  void aTagWithANulIsAnInvalidParameter() {
    assertInvalid(() -> QueueTags.check(Map.of("team", "a\u0000")), "#x0");
    assertInvalid(() -> QueueTags.check(Map.of("te\u0000am", "a")), "#x0");
    assertInvalid(() -> QueueTags.check(Map.of("", "a")), "1 to 128");
    QueueTags.check(Map.of("team", "blue", "empty", ""));
  }

  @Test
  void onlyPossibleQueueNamesAreLookedUp() {
    assertThat(QueueNames.possible("orders")).isTrue();
    assertThat(QueueNames.possible("orders.fifo")).isTrue();
    assertThat(QueueNames.possible("or\u0000ders")).isFalse();
    assertThat(QueueNames.possible("x".repeat(81))).isFalse();
    assertThat(QueueNames.possible(null)).isFalse();
    assertThat(QueueNames.possiblePrefix(null)).isTrue();
    assertThat(QueueNames.possiblePrefix("")).isTrue();
    assertThat(QueueNames.possiblePrefix("ord")).isTrue();
    assertThat(QueueNames.possiblePrefix("o%")).isFalse();
    assertThat(QueueNames.possiblePrefix("o\u0000")).isFalse();
  }

  private static void assertInvalid(Runnable check, String message) {
    assertThatThrownBy(check::run)
        .isInstanceOfSatisfying(
            ApiException.class, e -> assertThat(e.code()).isEqualTo("InvalidParameterValue"))
        .hasMessageContaining(message);
  }
}
