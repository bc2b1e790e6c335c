package dev.cumulus.storage.multipart.domain;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;
import java.util.zip.Checksum;

/**
 * S3's composite checksum of an object completed from parts: the algorithm applied to the
 * concatenated binary checksums of its parts, in order, as base64 followed by {@code -N} (N parts).
 * CRC32, CRC32C, SHA1 and SHA256 (S3 offers CRC64NVME only as a full-object checksum).
 */
public final class CompositeChecksum {

  private CompositeChecksum() {}

  /**
   * @param algorithm S3's name
   * @param partChecksums each part's base64 checksum, in order
   * @return null when the algorithm has no composite form or a part has no checksum
   */
  public static String of(String algorithm, List<String> partChecksums) {
    if (partChecksums.isEmpty() || partChecksums.stream().anyMatch(c -> c == null)) {
      return null;
    }
    ByteBuffer joined;
    try {
      List<byte[]> decoded =
          partChecksums.stream().map(c -> Base64.getDecoder().decode(c.strip())).toList();
      joined = ByteBuffer.allocate(decoded.stream().mapToInt(b -> b.length).sum());
      decoded.forEach(joined::put);
    } catch (IllegalArgumentException e) {
      return null;
    }
    byte[] bytes = joined.array();
    byte[] digest =
        switch (algorithm) {
          case "CRC32" -> crc(new CRC32(), bytes);
          case "CRC32C" -> crc(new CRC32C(), bytes);
          case "SHA1" -> digest("SHA-1", bytes);
          case "SHA256" -> digest("SHA-256", bytes);
          default -> null;
        };
    return digest == null
        ? null
        : Base64.getEncoder().encodeToString(digest) + "-" + partChecksums.size();
  }

  private static byte[] crc(Checksum crc, byte[] bytes) {
    crc.update(bytes);
    return ByteBuffer.allocate(4).putInt((int) crc.getValue()).array();
  }

  private static byte[] digest(String name, byte[] bytes) {
    try {
      return MessageDigest.getInstance(name).digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
