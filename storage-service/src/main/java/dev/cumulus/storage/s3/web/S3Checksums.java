package dev.cumulus.storage.s3.web;

import dev.cumulus.storage.object.domain.ObjectChecksum;
import java.util.Locale;
import org.springframework.http.HttpHeaders;

/**
 * The checksum kept with an object, as S3 returns it: {@code x-amz-checksum-<algorithm>} and {@code
 * x-amz-checksum-type} on a PUT's response, and on a GET or HEAD of the whole object that asks with
 * {@code x-amz-checksum-mode: ENABLED}.
 */
final class S3Checksums {

  static final String MODE = "x-amz-checksum-mode";

  private S3Checksums() {}

  private static final java.util.List<String> ALGORITHMS =
      java.util.List.of("CRC32", "CRC32C", "CRC64NVME", "SHA1", "SHA256");

  /**
   * The algorithm a CreateMultipartUpload names for its parts' checksums ({@code
   * x-amz-checksum-algorithm}), S3's name; null for none.
   */
  static String algorithm(S3Call call) {
    String value = call.header("x-amz-checksum-algorithm");
    if (value == null) {
      return null;
    }
    String algorithm = value.strip().toUpperCase(Locale.ROOT);
    if (!ALGORITHMS.contains(algorithm)) {
      throw S3ErrorCode.INVALID_REQUEST.error(
          "Checksum algorithm provided is unsupported. Please try again with any of the valid"
              + " types: [CRC32, CRC32C, CRC64NVME, SHA1, SHA256]",
          value);
    }
    return algorithm;
  }

  /** Whether a GET or HEAD asks for the object's checksum. */
  static boolean requested(S3Call call) {
    String mode = call.header(MODE);
    return mode != null && mode.strip().equalsIgnoreCase("ENABLED");
  }

  static void headers(HttpHeaders h, ObjectChecksum checksum) {
    if (checksum == null) {
      return;
    }
    h.set("x-amz-checksum-" + checksum.algorithm().toLowerCase(Locale.ROOT), checksum.value());
    h.set("x-amz-checksum-type", type(checksum));
  }

  /** S3's ChecksumType: COMPOSITE for a checksum of parts' checksums, else FULL_OBJECT. */
  static String type(ObjectChecksum checksum) {
    return checksum.composite() ? "COMPOSITE" : "FULL_OBJECT";
  }
}
