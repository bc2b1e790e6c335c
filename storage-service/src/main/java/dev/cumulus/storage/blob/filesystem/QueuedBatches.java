package dev.cumulus.storage.blob.filesystem;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;

/**
 * One upload's batches that wait in a stage's queue, not yet taken by the stage. {@code publishOn}
 * should discard its queue when cancelled, but loses it when the cancel disposes a drain that was
 * scheduled and had not started (reactor-core #4396, still open in 3.8): the upload then releases
 * what is left here itself. Each batch is released by exactly one party: the stage that {@link
 * #take}s it, or {@link #releaseRemaining}, whichever removes it first. Kept by identity: two
 * batches with the same bytes are equal lists.
 */
final class QueuedBatches {

  private final Set<List<DataBuffer>> waiting =
      Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));

  /** The batch goes into a stage's queue. */
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
