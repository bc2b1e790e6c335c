package dev.cumulus.platform.sigv4;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class SignedRequestTests {

  private static final String SIGNATURE =
      "fe5f80f77d5fa3beca038a248ff027d0445342fe2855ddc963176630326f1024";
  private static final String VALID =
      "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,"
          + "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,Signature="
          + SIGNATURE;

  /** The regular expression the parser replaced: the reference for what it must accept. */
  private static final Pattern REFERENCE =
      Pattern.compile(
          "AWS4-HMAC-SHA256\\s+Credential=([^,\\s]+)\\s*,\\s*SignedHeaders=([^,\\s]+)\\s*,"
              + "\\s*Signature=([0-9a-f]{64})\\s*");

  @Test
  void readsTheThreePartsOfAnAuthorizationHeader() {
    assertThat(SignedRequest.headerParts(VALID))
        .containsExactly(
            "AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request",
            "host;range;x-amz-content-sha256;x-amz-date",
            SIGNATURE);
    assertThat(SignedRequest.headerParts(VALID.replace(",", " ,\t ") + "  "))
        .as("whitespace around commas and at the end")
        .hasSize(3);
  }

  @Test
  void rejectsOtherShapes() {
    List<String> malformed =
        List.of(
            "",
            "AWS4-HMAC-SHA256",
            "AWS4-HMAC-SHA256 ",
            VALID.replace("AWS4-HMAC-SHA256 ", "AWS4-HMAC-SHA256"),
            VALID.replace("Credential=AKIA", "Credential= AKIA"),
            VALID.replace(
                "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date", "SignedHeaders="),
            VALID.replace(",Signature", "Signature"),
            VALID.replace(SIGNATURE, SIGNATURE.toUpperCase()),
            VALID.replace(SIGNATURE, SIGNATURE.substring(1)),
            VALID + ",",
            VALID + " x",
            VALID.replace("Credential", "credential"),
            VALID
                .replace("SignedHeaders=", "Signature=")
                .replace(",Signature=", ",SignedHeaders="));
    for (String header : malformed) {
      assertThat(SignedRequest.headerParts(header)).as(header).isNull();
      assertThat(REFERENCE.matcher(header).matches()).as(header).isFalse();
    }
  }

  /** Thousands of mutations of a valid header: the parser agrees with the regex on every one. */
  @Test
  void agreesWithTheRegularExpressionOnMutatedHeaders() {
    Random random = new Random(42);
    String alphabet = " \t,=/;aAf0-Sx\r\n";
    int accepted = 0;
    for (int n = 0; n < 20_000; n++) {
      StringBuilder header = new StringBuilder(VALID);
      for (int edits = 1 + random.nextInt(3); edits > 0; edits--) {
        int at = random.nextInt(header.length() + 1);
        char c = alphabet.charAt(random.nextInt(alphabet.length()));
        switch (random.nextInt(3)) {
          case 0 -> header.insert(at, c);
          case 1 -> header.deleteCharAt(Math.min(at, header.length() - 1));
          default -> header.setCharAt(Math.min(at, header.length() - 1), c);
        }
      }
      String text = header.toString();
      Matcher m = REFERENCE.matcher(text);
      List<String> expected = m.matches() ? List.of(m.group(1), m.group(2), m.group(3)) : null;
      assertThat(SignedRequest.headerParts(text)).as(text).isEqualTo(expected);
      accepted += expected == null ? 0 : 1;
    }
    assertThat(accepted).as("some mutations are still valid headers").isGreaterThan(100);
  }
}
