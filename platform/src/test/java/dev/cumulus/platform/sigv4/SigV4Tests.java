package dev.cumulus.platform.sigv4;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SigV4Tests {

  private static final List<String> SIGNED =
      List.of("host", "range", "x-amz-content-sha256", "x-amz-date");

  /** AWS's worked example "GET Object" (Amazon S3 API reference, SigV4 header authentication). */
  @Test
  void signsAwssGetObjectExampleAsAwsDoes() {
    Map<String, List<String>> headers =
        Map.of(
            "host", List.of("examplebucket.s3.amazonaws.com"),
            "range", List.of("bytes=0-9"),
            "x-amz-content-sha256", List.of(SigV4.EMPTY_SHA256),
            "x-amz-date", List.of("20130524T000000Z"));
    String canonical =
        SigV4.canonicalRequest("GET", "/test.txt", Map.of(), SIGNED, headers, SigV4.EMPTY_SHA256);
    byte[] key =
        SigV4.signingKey("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "20130524", "us-east-1", "s3");
    String signature =
        SigV4.sign(
            key,
            SigV4.stringToSign(
                "20130524T000000Z", "20130524/us-east-1/s3/aws4_request", canonical));

    assertThat(signature)
        .isEqualTo("f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
  }

  @Test
  void headerValuesAreTrimmedAndInnerWhitespaceRunsBecomeOneSpace() {
    Map<String, List<String>> headers =
        Map.of(
            "host", List.of("h"),
            "range", List.of("  a   b\t\tc  "),
            "x-amz-content-sha256", List.of("one two"),
            "x-amz-date", List.of("x", " y "));
    String canonical =
        SigV4.canonicalRequest("GET", "/k", Map.of(), SIGNED, headers, SigV4.UNSIGNED_PAYLOAD);

    assertThat(canonical.lines().toList())
        .containsSubsequence(
            "host:h", "range:a b c", "x-amz-content-sha256:one two", "x-amz-date:x,y");
  }

  @Test
  void onlySixtyFourLowercaseHexDigitsLookLikeAHash() {
    String hash = SigV4.sha256Hex("");

    assertThat(SigV4.isLowerHex64(hash)).isTrue();
    assertThat(SigV4.isLowerHex64("0123456789abcdef".repeat(4))).isTrue();
    assertThat(SigV4.isLowerHex64(hash.toUpperCase())).isFalse();
    assertThat(SigV4.isLowerHex64(hash.substring(1))).isFalse();
    assertThat(SigV4.isLowerHex64(hash + "0")).isFalse();
    assertThat(SigV4.isLowerHex64(hash.substring(1) + "g")).isFalse();
    assertThat(SigV4.isLowerHex64(hash.substring(1) + "/")).isFalse();
    assertThat(SigV4.isLowerHex64(hash.substring(1) + ":")).isFalse();
    assertThat(SigV4.isLowerHex64(null)).isFalse();
    assertThat(SigV4.isLowerHex64(SigV4.UNSIGNED_PAYLOAD)).isFalse();
  }
}
