package dev.cumulus.storage.s3.auth;

import dev.cumulus.platform.error.ErrorKind;
import dev.cumulus.storage.common.StorageErrors;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Locale;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;
import java.util.zip.Checksum;

/**
 * The flexible checksum a client sends with an upload ({@code x-amz-checksum-<algorithm>}, as a
 * header or an aws-chunked trailer): computed over the payload as it streams and compared at the
 * end. CRC32, CRC32C, CRC64NVME, SHA-1 and SHA-256, as S3 offers.
 */
public final class TrailerChecksum {

  private final String algorithm;
  private final Checksum crc;
  private final MessageDigest digest;
  private final Crc64Nvme crc64;

  private TrailerChecksum(String algorithm) {
    this.algorithm = algorithm;
    this.crc =
        switch (algorithm) {
          case "crc32" -> new CRC32();
          case "crc32c" -> new CRC32C();
          default -> null;
        };
    this.crc64 = algorithm.equals("crc64nvme") ? new Crc64Nvme() : null;
    this.digest =
        switch (algorithm) {
          case "sha1" -> digest("SHA-1");
          case "sha256" -> digest("SHA-256");
          default -> null;
        };
  }

  /**
   * The checksum for a header name such as {@code x-amz-checksum-crc32}; null for null.
   *
   * @throws dev.cumulus.platform.error.ApiException for an algorithm S3 does not offer
   */
  public static TrailerChecksum forHeader(String header) {
    if (header == null || header.isBlank()) {
      return null;
    }
    String name = header.strip().toLowerCase(Locale.ROOT);
    if (!name.startsWith("x-amz-checksum-")) {
      throw invalid("Unsupported trailer " + header);
    }
    String algorithm = name.substring("x-amz-checksum-".length());
    return switch (algorithm) {
      case "crc32", "crc32c", "crc64nvme", "sha1", "sha256" -> new TrailerChecksum(algorithm);
      default -> throw invalid("Unsupported checksum algorithm " + algorithm);
    };
  }

  /** S3's name of the algorithm: CRC32, CRC32C, CRC64NVME, SHA1 or SHA256. */
  public String algorithm() {
    return algorithm.toUpperCase(Locale.ROOT);
  }

  public String header() {
    return "x-amz-checksum-" + algorithm;
  }

  public void update(ByteBuffer data) {
    if (crc != null) {
      crc.update(data);
    } else if (crc64 != null) {
      crc64.update(data);
    } else {
      digest.update(data);
    }
  }

  /** Base64 of the big-endian value, as S3 prints it. */
  public String value() {
    byte[] bytes;
    if (crc != null) {
      bytes = ByteBuffer.allocate(4).putInt((int) crc.getValue()).array();
    } else if (crc64 != null) {
      bytes = ByteBuffer.allocate(8).putLong(crc64.value()).array();
    } else {
      bytes = digest.digest();
    }
    return Base64.getEncoder().encodeToString(bytes);
  }

  public void verify(String claimed) {
    if (claimed == null) {
      throw invalid("The " + header() + " trailer announced in x-amz-trailer is missing");
    }
    String actual = value();
    if (!actual.equals(claimed.strip())) {
      throw StorageErrors.of(
          ErrorKind.BAD_REQUEST,
          "BadDigest",
          "The "
              + algorithm.toUpperCase(Locale.ROOT)
              + " you specified did not match the"
              + " calculated checksum.",
          "claimed " + claimed + ", computed " + actual);
    }
  }

  private static MessageDigest digest(String name) {
    try {
      return MessageDigest.getInstance(name);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static RuntimeException invalid(String details) {
    return StorageErrors.of(ErrorKind.BAD_REQUEST, "InvalidRequest", details, null);
  }

  /** CRC-64/NVME (reflected polynomial 0x9a6c9329ac4bc9b5), which the JDK does not ship. */
  static final class Crc64Nvme {
    private static final long[] TABLE = new long[256];

    static {
      for (int i = 0; i < 256; i++) {
        long c = i;
        for (int k = 0; k < 8; k++) {
          c = (c & 1) != 0 ? (c >>> 1) ^ 0x9a6c9329ac4bc9b5L : c >>> 1;
        }
        TABLE[i] = c;
      }
    }

    private long crc = -1L;

    void update(ByteBuffer data) {
      long c = crc;
      while (data.hasRemaining()) {
        c = TABLE[(int) ((c ^ data.get()) & 0xff)] ^ (c >>> 8);
      }
      crc = c;
    }

    long value() {
      return ~crc;
    }
  }
}
