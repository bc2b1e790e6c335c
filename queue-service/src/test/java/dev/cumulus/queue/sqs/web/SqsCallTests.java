package dev.cumulus.queue.sqs.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cumulus.platform.error.ApiException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** A list or map of the wrong shape is the caller's InvalidParameterValue, never a 500. */
class SqsCallTests {

  private static SqsCall call(String input) {
    return new SqsCall(
        "t", "s", "AKIA", JsonMapper.builder().build().readTree(input), "http://h/sqs");
  }

  @Test
  void listsAndMapsOfScalarsAreRead() {
    SqsCall call =
        call("{\"AttributeNames\":[\"All\",1],\"Attributes\":{\"DelaySeconds\":5,\"A\":\"b\"}}");
    assertThat(call.strings("AttributeNames")).containsExactly("All", "1");
    assertThat(call.stringMap("Attributes")).isEqualTo(Map.of("DelaySeconds", "5", "A", "b"));
    assertThat(call.strings("Missing")).isEqualTo(List.of());
  }

  @Test
  void nestedListsOrMapsAreInvalidParameters() {
    assertInvalid(() -> call("{\"AttributeNames\":[{}]}").strings("AttributeNames"));
    assertInvalid(() -> call("{\"AttributeNames\":[[\"All\"]]}").strings("AttributeNames"));
    assertInvalid(() -> call("{\"Attributes\":{\"DelaySeconds\":{}}}").stringMap("Attributes"));
    assertInvalid(() -> call("{\"tags\":{\"team\":[\"a\"]}}").stringMap("tags"));
  }

  private static void assertInvalid(Runnable read) {
    assertThatThrownBy(read::run)
        .isInstanceOfSatisfying(
            ApiException.class, e -> assertThat(e.code()).isEqualTo("InvalidParameterValue"));
  }
}
