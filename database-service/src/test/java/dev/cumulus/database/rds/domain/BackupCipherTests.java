package dev.cumulus.database.rds.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The chunked AES-GCM backup format: round trips, and every kind of damage refused. */
class BackupCipherTests {

  private static final int CHUNK = BackupCipher.CHUNK_SIZE;
  private static final int SEALED = CHUNK + 16;
  private static final int HEADER = 11;
  private final byte[] key = BackupCipher.newDataKey();

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 1000, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK, 3 * CHUNK + 17})
  void whatIsSealedOpensAgain(int size) throws IOException {
    byte[] plain = random(size);
    byte[] sealed = seal(plain, "b1", 7);
    // Header, every chunk's tag (an empty stream is one empty last chunk), no more.
    int chunks = size == 0 ? 1 : (size + CHUNK - 1) / CHUNK;
    assertThat(sealed).hasSize(HEADER + size + chunks * 16);
    assertThat(open(sealed, key, "b1")).isEqualTo(plain);
  }

  @Test
  void theCiphertextShowsNothingOfThePlaintext() throws IOException {
    byte[] plain = "CREATE TABLE orders (id int);\n".repeat(5000).getBytes();
    byte[] sealed = seal(plain, "b1", 4096);
    assertThat(new String(sealed, java.nio.charset.StandardCharsets.ISO_8859_1))
        .doesNotContain("CREATE");
    // Two seals of the same bytes differ (a fresh nonce prefix each time).
    assertThat(seal(plain, "b1", 4096)).isNotEqualTo(sealed);
  }

  @Test
  void aChangedByteIsRefused() throws IOException {
    byte[] sealed = seal(random(2 * CHUNK + 5), "b1", 1000);
    for (int at : new int[] {HEADER + 3, HEADER + SEALED + 9, sealed.length - 1}) {
      byte[] damaged = sealed.clone();
      damaged[at] ^= 0x20;
      assertThatThrownBy(() -> open(damaged, key, "b1"))
          .isInstanceOf(BackupCipher.IntegrityException.class)
          .hasMessageContaining("does not authenticate");
    }
  }

  @Test
  void aStreamCutAtAChunkBoundaryOrInsideAChunkIsRefused() throws IOException {
    byte[] sealed = seal(random(3 * CHUNK + 5), "b1", 1000);
    assertThatThrownBy(() -> open(Arrays.copyOf(sealed, HEADER + 2 * SEALED), key, "b1"))
        .isInstanceOf(BackupCipher.IntegrityException.class);
    assertThatThrownBy(() -> open(Arrays.copyOf(sealed, sealed.length - 1), key, "b1"))
        .isInstanceOf(BackupCipher.IntegrityException.class);
    assertThatThrownBy(() -> open(Arrays.copyOf(sealed, HEADER + 5), key, "b1"))
        .isInstanceOf(BackupCipher.IntegrityException.class)
        .hasMessageContaining("truncated");
  }

  @Test
  void swappedChunksAreRefused() throws IOException {
    byte[] sealed = seal(random(3 * CHUNK + 5), "b1", 1000);
    byte[] swapped = sealed.clone();
    System.arraycopy(sealed, HEADER, swapped, HEADER + SEALED, SEALED);
    System.arraycopy(sealed, HEADER + SEALED, swapped, HEADER, SEALED);
    assertThatThrownBy(() -> open(swapped, key, "b1"))
        .isInstanceOf(BackupCipher.IntegrityException.class)
        .hasMessageContaining("segment 0");
  }

  @Test
  void anotherKeyOrAnotherBackupsIdDoesNotOpenIt() throws IOException {
    byte[] sealed = seal(random(100), "b1", 1000);
    assertThatThrownBy(() -> open(sealed, BackupCipher.newDataKey(), "b1"))
        .isInstanceOf(BackupCipher.IntegrityException.class);
    assertThatThrownBy(() -> open(sealed, key, "b2"))
        .isInstanceOf(BackupCipher.IntegrityException.class);
  }

  @Test
  void aPlainGzipIsNotTakenForAnEncryptedBackup() {
    byte[] gzip = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    assertThatThrownBy(() -> open(gzip, key, "b1"))
        .isInstanceOf(BackupCipher.IntegrityException.class)
        .hasMessageContaining("not an encrypted backup");
  }

  /** Seals in writes of {@code step} bytes, as gzip would hand them over. */
  private byte[] seal(byte[] plain, String backupId, int step) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (BackupCipher.SealingStream sealing = BackupCipher.sealing(out, key, backupId)) {
      for (int i = 0; i < plain.length; i += step) {
        sealing.write(plain, i, Math.min(step, plain.length - i));
      }
      sealing.finish();
    }
    return out.toByteArray();
  }

  private static byte[] open(byte[] sealed, byte[] key, String backupId) throws IOException {
    try (InputStream in = BackupCipher.opening(new ByteArrayInputStream(sealed), key, backupId)) {
      return in.readAllBytes();
    }
  }

  private static byte[] random(int size) {
    byte[] bytes = new byte[size];
    new Random(size).nextBytes(bytes);
    return bytes;
  }
}
