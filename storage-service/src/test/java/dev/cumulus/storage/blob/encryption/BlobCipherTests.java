package dev.cumulus.storage.blob.encryption;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * The blob format is unchanged by moving its segments onto the platform's SegmentedGcm: blobs the
 * former storage-only implementation (SegmentedAead) sealed, recorded below, still open, and the
 * same inputs seal to the same bytes.
 */
class BlobCipherTests {

  /** SegmentedAead's output for {@link #plaintext}(40), {@link #KEY}, {@link #header()}. */
  static final String SEALED_40 =
      "435342010874656e616e742d61c8c7c6c5c4c3c2c1c0bfbebdbcbbbab9b8b7b6b5b4b3b2b1b0afaeadacabaaa9"
          + "01020304050607e5804103282613e32b800eb5595942823cfbdf635d330c91d061a569f29fc56753e7f7"
          + "2f756cd99a1942a3812c67b8ce638e72cd033f9691";

  /** SegmentedAead's output for an empty blob. */
  static final String SEALED_EMPTY =
      "435342010874656e616e742d61c8c7c6c5c4c3c2c1c0bfbebdbcbbbab9b8b7b6b5b4b3b2b1b0afaeadacabaaa9"
          + "0102030405060757c6ee646024f5f3364900099a01bb7d";

  /** SHA-256 of SegmentedAead's 150,100-byte output for 150,000 bytes (three segments). */
  static final String SEALED_150000_SHA256 =
      "63a7b1e884d823ce940ae34f4a00b5167cec9f6aa2a7815d18c3b9fc454a1444";

  static final byte[] KEY = new byte[32];

  static {
    for (int i = 0; i < KEY.length; i++) {
      KEY[i] = (byte) (i * 7 + 1);
    }
  }

  static BlobCipher.Header header() {
    byte[] salt = new byte[32];
    for (int i = 0; i < salt.length; i++) {
      salt[i] = (byte) (200 - i);
    }
    return new BlobCipher.Header("tenant-a", salt, new byte[] {1, 2, 3, 4, 5, 6, 7});
  }

  static byte[] plaintext(int size) {
    byte[] plain = new byte[size];
    for (int i = 0; i < size; i++) {
      plain[i] = (byte) (i * 31 + (i >> 8));
    }
    return plain;
  }

  static byte[] seal(byte[] plain) {
    BlobCipher.Sealer sealer = new BlobCipher.Sealer(KEY, header(), "svc-1");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(sealer.header());
    sealer.push(ByteBuffer.wrap(plain)).forEach(out::writeBytes);
    out.writeBytes(sealer.finish());
    return out.toByteArray();
  }

  static byte[] open(byte[] sealed, String namespace) {
    BlobCipher.Header header = BlobCipher.Header.parse(ByteBuffer.wrap(sealed));
    BlobCipher.Opener opener = new BlobCipher.Opener(KEY, header, namespace, 0, Long.MAX_VALUE);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    opener
        .push(ByteBuffer.wrap(sealed, header.length(), sealed.length - header.length()))
        .forEach(out::writeBytes);
    opener.finish().forEach(out::writeBytes);
    return out.toByteArray();
  }

  @Test
  void blobsSealedBeforeTheMoveStillOpen() {
    assertThat(open(HexFormat.of().parseHex(SEALED_40), "svc-1")).isEqualTo(plaintext(40));
    assertThat(open(HexFormat.of().parseHex(SEALED_EMPTY), "svc-1")).isEmpty();
  }

  @Test
  void theSameInputsSealToTheSameBytesAsBefore() throws Exception {
    assertThat(HexFormat.of().formatHex(seal(plaintext(40)))).isEqualTo(SEALED_40);
    assertThat(HexFormat.of().formatHex(seal(new byte[0]))).isEqualTo(SEALED_EMPTY);
    byte[] large = seal(plaintext(150_000));
    assertThat(large).hasSize(150_100);
    assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(large)))
        .isEqualTo(SEALED_150000_SHA256);
    assertThat(open(large, "svc-1")).isEqualTo(plaintext(150_000));
    assertThat(BlobCipher.sealedSize(header(), 150_000)).isEqualTo(150_100);
  }

  @Test
  void aDamagedOldBlobOrAnotherNamespaceIsTheBlobIntegrityError() {
    byte[] damaged = HexFormat.of().parseHex(SEALED_40);
    damaged[damaged.length - 1] ^= 1;
    assertThatThrownBy(() -> open(damaged, "svc-1"))
        .isInstanceOf(BlobCipher.IntegrityException.class)
        .hasMessageStartingWith("Encrypted blob does not authenticate at segment 0");
    assertThatThrownBy(() -> open(HexFormat.of().parseHex(SEALED_40), "svc-2"))
        .isInstanceOf(BlobCipher.IntegrityException.class);
    byte[] cut = Arrays.copyOf(HexFormat.of().parseHex(SEALED_40), 60);
    assertThatThrownBy(() -> open(cut, "svc-1"))
        .isInstanceOf(BlobCipher.IntegrityException.class)
        .hasMessageContaining("truncated");
  }
}
