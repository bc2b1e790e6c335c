package dev.cumulus.updater.engine.domain;

import java.time.Instant;
import java.util.List;

/**
 * A local image.
 *
 * @param repoDigests {@code repo@sha256:...}: the registry manifest digests it was pulled as
 */
public record EngineImage(
    String id, List<String> repoTags, List<String> repoDigests, long size, Instant created) {

  /** The manifest digest this image has in the given repository, or null. */
  public String digestIn(String repository) {
    return repoDigests.stream()
        .filter(d -> d.startsWith(repository + "@"))
        .map(d -> d.substring(d.indexOf('@') + 1))
        .findFirst()
        .orElse(repoDigests.isEmpty() ? null : firstDigest());
  }

  private String firstDigest() {
    String d = repoDigests.getFirst();
    return d.substring(d.indexOf('@') + 1);
  }
}
