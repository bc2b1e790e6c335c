package dev.cumulus.storage.multipart.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** S3's composite checksums, against values S3 documents and computes. */
class CompositeChecksumTests {

  @Test
  void theChecksumOfThePartsChecksumsWithTheirCount() throws Exception {
    // SHA-256 of the two parts' binary SHA-256s, then -2.
    byte[] a = java.security.MessageDigest.getInstance("SHA-256").digest("a".getBytes());
    byte[] b = java.security.MessageDigest.getInstance("SHA-256").digest("b".getBytes());
    byte[] joined = Arrays.copyOf(a, 64);
    System.arraycopy(b, 0, joined, 32, 32);
    String expected =
        java.util.Base64.getEncoder()
                .encodeToString(java.security.MessageDigest.getInstance("SHA-256").digest(joined))
            + "-2";
    assertThat(
            CompositeChecksum.of(
                "SHA256",
                List.of(
                    java.util.Base64.getEncoder().encodeToString(a),
                    java.util.Base64.getEncoder().encodeToString(b))))
        .isEqualTo(expected);
  }

  @Test
  void noneWithoutEveryPartsChecksumOrForAFullObjectOnlyAlgorithm() {
    assertThat(CompositeChecksum.of("CRC32", Arrays.asList("AAAAAA==", null))).isNull();
    assertThat(CompositeChecksum.of("CRC32", List.of())).isNull();
    assertThat(CompositeChecksum.of("CRC64NVME", List.of("AAAAAAAAAAA="))).isNull();
    assertThat(CompositeChecksum.of("CRC32", List.of("not base64!"))).isNull();
    assertThat(CompositeChecksum.of("CRC32", List.of("AAAAAA=="))).endsWith("-1");
  }
}
