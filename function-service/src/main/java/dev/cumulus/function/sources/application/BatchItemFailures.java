package dev.cumulus.function.sources.application;

import java.util.HashSet;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** A function's {@code {"batchItemFailures":[{"itemIdentifier":...}]}} answer. */
final class BatchItemFailures {

  private BatchItemFailures() {}

  /**
   * The {@code itemIdentifier}s of the answer: none for an answer without failures (no answer,
   * {@code null}, an empty or null list, or not JSON); null for a malformed one (a list that is not
   * a list, an entry without an identifier), which Lambda takes as the whole batch failing.
   */
  static Set<String> of(ObjectMapper json, String resultJson) {
    Set<String> ids = new HashSet<>();
    JsonNode failures;
    try {
      failures = json.readTree(resultJson).path("batchItemFailures");
    } catch (RuntimeException e) {
      return ids;
    }
    if (failures.isMissingNode() || failures.isNull()) {
      return ids;
    }
    if (!failures.isArray()) {
      return null;
    }
    for (JsonNode f : failures) {
      String id = f.path("itemIdentifier").asString("");
      if (id.isEmpty()) {
        return null;
      }
      ids.add(id);
    }
    return ids;
  }
}
