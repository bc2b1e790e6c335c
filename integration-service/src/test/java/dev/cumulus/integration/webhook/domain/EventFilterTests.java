package dev.cumulus.integration.webhook.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class EventFilterTests {

  @Test
  void namesAndWildcards() {
    assertThat(EventFilter.matches(List.of("object.created"), "object.created")).isTrue();
    assertThat(EventFilter.matches(List.of("object.created"), "object.deleted")).isFalse();
    assertThat(EventFilter.matches(List.of("object.*"), "object.deleted")).isTrue();
    assertThat(EventFilter.matches(List.of("object.*"), "bucket.created")).isFalse();
    assertThat(EventFilter.matches(List.of("*.failed"), "update.failed")).isTrue();
    assertThat(EventFilter.matches(List.of("*"), "anything.at-all")).isTrue();
    assertThat(EventFilter.matches(List.of("a.b", "c.*"), "c.d")).isTrue();
    // regex characters are literals
    assertThat(EventFilter.matches(List.of("object.created"), "objectXcreated")).isFalse();
  }

  @Test
  void patternsAreValidated() {
    assertThat(EventFilter.firstInvalid(List.of("object.*", "*"))).isNull();
    assertThat(EventFilter.firstInvalid(List.of("ok", "Bad Pattern!"))).isEqualTo("Bad Pattern!");
    assertThat(EventFilter.firstInvalid(List.of("(.*)"))).isEqualTo("(.*)");
  }
}
