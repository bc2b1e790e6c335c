package dev.cumulus.storage.blob.application;

import java.util.List;
import java.util.Set;
import reactor.core.publisher.Mono;

/**
 * Which stored files are still referenced by object metadata: the janitor's question to the feature
 * that owns that metadata (objects), asked through this port so blob depends on no feature.
 */
public interface ReferencedBlobs {

  /** The paths among {@code paths} that some object, version or part still points to. */
  Mono<Set<String>> referencedAmong(List<String> paths);
}
