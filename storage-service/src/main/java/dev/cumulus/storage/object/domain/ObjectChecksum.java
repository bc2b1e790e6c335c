package dev.cumulus.storage.object.domain;

/**
 * The checksum a client sent with an object's bytes (S3's {@code x-amz-checksum-*}), kept to be
 * returned on reads that ask for it.
 *
 * @param algorithm S3's name: CRC32, CRC32C, CRC64NVME, SHA1 or SHA256
 * @param value base64, as S3 sends it; for an object completed from parts, the checksum of its
 *     parts' checksums followed by {@code -N} (N parts), as S3's composite checksums
 */
public record ObjectChecksum(String algorithm, String value) {

  /** Whether this is a checksum of parts' checksums (multipart), not of the bytes. */
  public boolean composite() {
    return value.matches(".*-\\d+$");
  }
}
