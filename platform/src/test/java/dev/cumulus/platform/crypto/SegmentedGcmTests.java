package dev.cumulus.platform.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Segments seal and open again, whole or a range, and any damage is refused. */
class SegmentedGcmTests {

  private static final int SEGMENT = SegmentedGcm.SEGMENT_SIZE;
  private static final int SEALED = SegmentedGcm.SEALED_SEGMENT_SIZE;
  private static final byte[] AAD = "stream-1".getBytes(StandardCharsets.UTF_8);

  private final byte[] key = bytes(32, 1);
  private final byte[] prefix = SegmentedGcm.newNoncePrefix();

  @ParameterizedTest
  @ValueSource(ints = {0, 1, SEGMENT - 1, SEGMENT, SEGMENT + 1, 3 * SEGMENT + 17})
  void whatIsSealedOpensAgainInPiecesOfAnySize(int size) {
    byte[] plain = bytes(size, 2);
    byte[] sealed = seal(plain, 1000);
    assertThat((long) sealed.length).isEqualTo(SegmentedGcm.sealedSize(size));
    assertThat(open(new SegmentedGcm.Opener(key, prefix, AAD), sealed, 777)).isEqualTo(plain);
  }

  @Test
  void aRangeOfSegmentsOpensOnItsOwn() {
    byte[] plain = bytes(3 * SEGMENT + 17, 3);
    byte[] sealed = seal(plain, SEGMENT);
    // Segment 1 alone, fed one byte past it: known not to be the last.
    byte[] feed = Arrays.copyOfRange(sealed, SEALED, 2 * SEALED + 1);
    assertThat(open(new SegmentedGcm.Opener(key, prefix, AAD, 1, 1), feed, SEALED + 1))
        .isEqualTo(Arrays.copyOfRange(plain, SEGMENT, 2 * SEGMENT));
    // The last segment, from its start to the end.
    byte[] tail = Arrays.copyOfRange(sealed, 3 * SEALED, sealed.length);
    assertThat(open(new SegmentedGcm.Opener(key, prefix, AAD, 3, 1), tail, 5))
        .isEqualTo(Arrays.copyOfRange(plain, 3 * SEGMENT, plain.length));
  }

  @Test
  void damageReorderingTruncationAndOtherContextsAreRefused() {
    byte[] sealed = seal(bytes(2 * SEGMENT + 5, 4), 4096);
    byte[] changed = sealed.clone();
    changed[SEALED + 9] ^= 1;
    byte[] swapped = sealed.clone();
    System.arraycopy(sealed, 0, swapped, SEALED, SEALED);
    System.arraycopy(sealed, SEALED, swapped, 0, SEALED);
    for (byte[] bad :
        List.of(changed, swapped, Arrays.copyOf(sealed, 2 * SEALED), Arrays.copyOf(sealed, 9))) {
      assertThatThrownBy(() -> open(new SegmentedGcm.Opener(key, prefix, AAD), bad, 1000))
          .isInstanceOf(SegmentedGcm.IntegrityException.class);
    }
    assertThatThrownBy(
            () -> open(new SegmentedGcm.Opener(key, prefix, "other".getBytes()), sealed, 1000))
        .isInstanceOf(SegmentedGcm.IntegrityException.class)
        .hasMessageContaining("segment 0");
    assertThatThrownBy(() -> open(new SegmentedGcm.Opener(key, prefix, null), sealed, 1000))
        .isInstanceOf(SegmentedGcm.IntegrityException.class);
  }

  private byte[] seal(byte[] plain, int step) {
    SegmentedGcm.Sealer sealer = new SegmentedGcm.Sealer(key, prefix, AAD);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < plain.length; i += step) {
      sealer
          .push(ByteBuffer.wrap(plain, i, Math.min(step, plain.length - i)))
          .forEach(out::writeBytes);
    }
    out.writeBytes(sealer.finish());
    return out.toByteArray();
  }

  private static byte[] open(SegmentedGcm.Opener opener, byte[] sealed, int step) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < sealed.length; i += step) {
      opener
          .push(ByteBuffer.wrap(sealed, i, Math.min(step, sealed.length - i)))
          .forEach(out::writeBytes);
    }
    opener.finish().forEach(out::writeBytes);
    return out.toByteArray();
  }

  private static byte[] bytes(int size, long seed) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return b;
  }
}
