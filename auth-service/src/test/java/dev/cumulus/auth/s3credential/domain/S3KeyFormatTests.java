package dev.cumulus.auth.s3credential.domain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cumulus.platform.security.SigV4Keys;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;
import org.junit.jupiter.api.Test;

class S3KeyFormatTests {

  @Test
  void generatedPairsHaveTheAwsShapeAndDiffer() {
    Set<String> ids = new HashSet<>();
    Set<String> secrets = new HashSet<>();
    for (int i = 0; i < 200; i++) {
      S3KeyFormat.NewPair pair = S3KeyFormat.generate();
      assertThat(pair.accessKeyId()).hasSize(20).matches("CK[A-Z0-9]{18}");
      assertThat(pair.secretAccessKey()).hasSize(40).matches("[A-Za-z0-9+/]{40}");
      assertThat(S3KeyFormat.isAccessKeyId(pair.accessKeyId())).isTrue();
      ids.add(pair.accessKeyId());
      secrets.add(pair.secretAccessKey());
    }
    assertThat(ids).hasSize(200);
    assertThat(secrets).hasSize(200);
  }

  @Test
  void recognisesOnlyWellFormedAccessKeyIds() {
    assertThat(S3KeyFormat.isAccessKeyId("CKABCDEFGHIJ01234567")).isTrue();
    assertThat(S3KeyFormat.isAccessKeyId("AKIAIOSFODNN7EXAMPLE")).isFalse();
    assertThat(S3KeyFormat.isAccessKeyId("CKabcdefghij01234567")).isFalse();
    assertThat(S3KeyFormat.isAccessKeyId("CKABCDEFGHIJ0123456")).isFalse();
    assertThat(S3KeyFormat.isAccessKeyId(null)).isFalse();
  }

  @Test
  void signingKeyMatchesAwsDocumentedExample() {
    // "Examples of how to derive a signing key for Signature Version 4" (AWS General Reference).
    byte[] key =
        SigV4Keys.signingKey(
            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "20120215", "us-east-1", "iam");
    assertThat(HexFormat.of().formatHex(key))
        .isEqualTo("f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d");
  }
}
