package dev.cumulus.storage.blob;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferWrapper;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.core.io.buffer.PooledDataBuffer;
import reactor.core.publisher.Flux;

/**
 * A buffer that counts its releases and still looks allocated after them, as a pooled buffer does
 * once the pool has handed it to another request: a second release would free that request's
 * memory, so code under test must release each buffer exactly once.
 */
public final class CountedBuffer extends DataBufferWrapper implements PooledDataBuffer {

  private final AtomicInteger releases = new AtomicInteger();

  private CountedBuffer(DataBuffer delegate) {
    super(delegate);
  }

  /** {@code size} zero bytes in 64 KiB buffers; each recorded in {@code seen} as it is made. */
  public static Flux<DataBuffer> content(int size, List<CountedBuffer> seen) {
    int chunk = 65536;
    return Flux.range(0, (size + chunk - 1) / chunk)
        .map(
            i -> {
              CountedBuffer buffer =
                  new CountedBuffer(
                      DefaultDataBufferFactory.sharedInstance.wrap(
                          new byte[Math.min(chunk, size - i * chunk)]));
              seen.add(buffer);
              return buffer;
            });
  }

  /** How often each buffer was released, in order. */
  public static List<Integer> releaseCounts(List<CountedBuffer> buffers) {
    return buffers.stream().map(b -> b.releases.get()).toList();
  }

  /** Whether every buffer has been released at least once. */
  public static boolean allReleased(List<CountedBuffer> buffers) {
    return buffers.stream().allMatch(b -> b.releases.get() >= 1);
  }

  @Override
  public boolean isAllocated() {
    return true;
  }

  @Override
  public PooledDataBuffer retain() {
    return this;
  }

  @Override
  public PooledDataBuffer touch(Object hint) {
    return this;
  }

  @Override
  public boolean release() {
    releases.incrementAndGet();
    return true;
  }
}
