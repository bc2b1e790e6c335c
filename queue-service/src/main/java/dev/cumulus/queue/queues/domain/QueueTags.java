package dev.cumulus.queue.queues.domain;

import java.util.Map;
import java.util.Objects;

/** SQS's rules for a queue's tags: at most 50, keys 1-128 characters, values up to 256. */
public final class QueueTags {

  public static final int MAX_TAGS = 50;

  private QueueTags() {}

  /** Checks all the tags a queue would have. */
  public static void check(Map<String, String> tags) {
    if (tags.size() > MAX_TAGS) {
      throw QueueErrors.invalidParameter("Too many tags: at most " + MAX_TAGS + " per queue.");
    }
    tags.forEach(
        (key, value) -> {
          String text = Objects.requireNonNullElse(value, "");
          if (key == null || key.isEmpty() || key.length() > 128 || text.length() > 256) {
            throw QueueErrors.invalidParameter(
                "Tag keys are 1 to 128 characters, values up to 256.");
          }
          int invalid = SqsCharacters.firstInvalid(key + text);
          if (invalid >= 0) {
            throw QueueErrors.invalidParameter(
                "Tag keys and values cannot contain the character '"
                    + SqsCharacters.named(invalid)
                    + "'.");
          }
        });
  }
}
