package dev.cumulus.storage.blob.filesystem;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;

/**
 * One upload's batches that no one has taken yet: registered when formed and again when handed to
 * the next stage's queue, taken by the stage that processes one, by a discard hook, or by {@link
 * #releaseRemaining} once the upload has failed or been cancelled. Each batch is released by
 * exactly one party, whichever takes it first. This also covers {@code publishOn} losing its queue
 * when a cancel disposes a drain that was scheduled and had not started (reactor-core #4396, still
 * open in 3.8): what it loses is still registered here. Kept by identity: two batches with the same
 * bytes are equal lists.
 */
final class QueuedBatches {

  private final Set<List<DataBuffer>> waiting =
      Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));

  /** The batch waits for its next owner (a stage's queue). */
  List<DataBuffer> add(List<DataBuffer> batch) {
    waiting.add(batch);
    return batch;
  }

  /** True when the caller now owns the batch (and must release it); false when already released. */
  boolean take(List<DataBuffer> batch) {
    return waiting.remove(batch);
  }

  /** Releases every batch no stage has taken; called once the upload has ended without success. */
  void releaseRemaining() {
    List<List<DataBuffer>> left;
    synchronized (waiting) {
      left = new ArrayList<>(waiting);
    }
    for (List<DataBuffer> batch : left) {
      if (take(batch)) {
        batch.forEach(DataBufferUtils::release);
      }
    }
  }
}
