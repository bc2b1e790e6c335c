package dev.cumulus.storage.blob.application;

import dev.cumulus.storage.blob.domain.BlobStore;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * Removes the orphans a crash can leave: temporary upload files, and stored blobs that no metadata
 * row references (a crash between the blob's move into place and the metadata commit). Only files
 * older than the grace period are touched, so uploads in flight are safe.
 */
public class BlobJanitor {

  private static final Logger log = LoggerFactory.getLogger(BlobJanitor.class);

  private final BlobStore blobs;
  private final Function<List<String>, Mono<Set<String>>> referenced;
  private final Duration grace;

  public BlobJanitor(
      BlobStore blobs, Function<List<String>, Mono<Set<String>>> referenced, Duration grace) {
    this.blobs = blobs;
    this.referenced = referenced;
    this.grace = grace;
  }

  /** One pass; returns how many files were removed. */
  public Mono<Long> sweep() {
    return blobs
        .sweep(grace, referenced)
        .doOnError(e -> log.warn("Storage janitor failed: {}", e.toString()));
  }
}
