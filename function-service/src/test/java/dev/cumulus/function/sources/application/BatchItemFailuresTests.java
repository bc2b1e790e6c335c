package dev.cumulus.function.sources.application;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

class BatchItemFailuresTests {

  static final ObjectMapper JSON = JsonMapper.builder().build();

  @Test
  void answersWithoutFailuresFailNothing() {
    assertThat(BatchItemFailures.of(JSON, null)).isEmpty();
    assertThat(BatchItemFailures.of(JSON, "null")).isEmpty();
    assertThat(BatchItemFailures.of(JSON, "{}")).isEmpty();
    assertThat(BatchItemFailures.of(JSON, "{\"batchItemFailures\":[]}")).isEmpty();
    assertThat(BatchItemFailures.of(JSON, "{\"batchItemFailures\":null}")).isEmpty();
  }

  @Test
  void namedItemsAreTheFailures() {
    assertThat(
            BatchItemFailures.of(
                JSON,
                "{\"batchItemFailures\":[{\"itemIdentifier\":\"a\"},{\"itemIdentifier\":\"b\"}]}"))
        .containsExactlyInAnyOrder("a", "b");
  }

  @Test
  void malformedAnswersFailTheWholeBatch() {
    assertThat(BatchItemFailures.of(JSON, "{\"batchItemFailures\":[{\"itemIdentifier\":\"\"}]}"))
        .isNull();
    assertThat(BatchItemFailures.of(JSON, "{\"batchItemFailures\":[{\"ItemIdentifier\":\"a\"}]}"))
        .isNull();
    assertThat(BatchItemFailures.of(JSON, "{\"batchItemFailures\":\"a\"}")).isNull();
    assertThat(BatchItemFailures.of(JSON, "{\"batchItemFailures\":{\"itemIdentifier\":\"a\"}}"))
        .isNull();
  }
}
