package dev.cumulus.platform.docker;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.model.PullResponseItem;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The pull callback reads items as the engine sends them (podman's, without a status). */
class PullProgressTests {

  // docker-java's own mapper (Jackson 2) reads the engine's stream the same way.
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void aPullWhoseItemsHaveNoStatusCompletesNormally() {
    var progress = new PullProgress();
    progress.onNext(item("{\"stream\":\"Trying to pull quay.io/team/app:1.0...\\n\"}"));
    progress.onNext(item("{\"id\":\"0f5f445df8cc\"}"));
    progress.onNext(item("{\"status\":\"Download complete\",\"id\":\"0f5f445df8cc\"}"));
    progress.onComplete();

    assertThatCode(() -> progress.awaitCompletion(1, TimeUnit.SECONDS)).doesNotThrowAnyException();
  }

  @Test
  void anErrorItemFailsThePullWithTheEnginesMessage() {
    var progress = new PullProgress();
    progress.onNext(item("{\"stream\":\"Trying to pull quay.io/team/gone:1.0...\\n\"}"));
    progress.onNext(
        item(
            "{\"error\":\"reading manifest 1.0 in quay.io/team/gone: manifest unknown\","
                + "\"errorDetail\":{\"message\":\"reading manifest 1.0 in quay.io/team/gone:"
                + " manifest unknown\"}}"));

    assertThatThrownBy(() -> progress.awaitCompletion(1, TimeUnit.SECONDS))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("reading manifest 1.0 in quay.io/team/gone: manifest unknown");
  }

  @Test
  void anErrorWithoutDetailFailsWithItsErrorText() {
    var progress = new PullProgress();
    progress.onNext(item("{\"error\":\"unauthorized: authentication required\"}"));

    assertThatThrownBy(() -> progress.awaitCompletion(1, TimeUnit.SECONDS))
        .hasMessage("unauthorized: authentication required");
  }

  private static PullResponseItem item(String json) {
    try {
      return JSON.readValue(json, PullResponseItem.class);
    } catch (Exception unreadable) {
      throw new IllegalArgumentException(json, unreadable);
    }
  }
}
