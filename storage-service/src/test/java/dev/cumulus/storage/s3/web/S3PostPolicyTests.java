package dev.cumulus.storage.s3.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cumulus.platform.error.ApiException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A POST policy's document and conditions, checked as S3 checks them. */
class S3PostPolicyTests {

  static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

  static S3PostPolicy policy(String json) {
    return S3PostPolicy.parse(
        Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8)));
  }

  static S3PostPolicy withConditions(String conditions) {
    return policy(
        "{\"expiration\": \"2026-01-01T00:10:00.000Z\", \"conditions\": " + conditions + "}");
  }

  static void assertRefused(Runnable check, String code, String message) {
    assertThatThrownBy(check::run)
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.code()).isEqualTo(code);
              assertThat(e.getMessage()).contains(message);
            });
  }

  @Test
  void conditionsOfEveryFormHoldOrFailAsWritten() {
    S3PostPolicy policy =
        withConditions(
            """
            [{"bucket": "b"}, ["starts-with", "$key", "user/"], ["eq", "$acl", "private"],
             ["starts-with", "$Content-Type", "image/"], ["content-length-range", 1, 10],
             ["content-length-range", 0, 5]]""");
    Map<String, String> fields =
        Map.of("bucket", "b", "key", "user/a", "acl", "private", "content-type", "image/png");
    List<String> names = List.of("key", "acl", "Content-Type", "policy", "x-amz-signature");

    assertThat(policy.check(fields, names, NOW)).isEqualTo(new S3PostPolicy.LengthRange(1, 5));
    assertRefused(
        () -> policy.check(Map.of("bucket", "b", "key", "other/a"), names, NOW),
        "AccessDenied",
        "Invalid according to Policy: Policy Condition failed: [\"starts-with\", \"$key\","
            + " \"user/\"]");
    assertRefused(
        () -> policy.check(fields, List.of("key", "x-amz-meta-a", "X-Ignore-me"), NOW),
        "AccessDenied",
        "Invalid according to Policy: Extra input fields: x-amz-meta-a");
    assertRefused(
        () -> policy.check(fields, names, Instant.parse("2026-01-01T00:10:01Z")),
        "AccessDenied",
        "Invalid according to Policy: Policy expired.");
  }

  @Test
  void startsWithTestsOnlyTheFieldsS3LetsItAndEveryListedContentType() {
    assertRefused(
        () ->
            withConditions("[[\"starts-with\", \"$success_action_status\", \"2\"]]")
                .check(Map.of("success_action_status", "201"), List.of(), NOW),
        "AccessDenied",
        "Policy Condition failed");
    S3PostPolicy images = withConditions("[[\"starts-with\", \"$Content-Type\", \"image/\"]]");
    images.check(Map.of("content-type", "image/png, image/gif"), List.of(), NOW);
    assertRefused(
        () -> images.check(Map.of("content-type", "image/png, text/html"), List.of(), NOW),
        "AccessDenied",
        "Policy Condition failed");
    // An unknown operator fails as written.
    assertRefused(
        () -> withConditions("[[\"ends-with\", \"$key\", \"x\"]]").check(Map.of(), List.of(), NOW),
        "AccessDenied",
        "Policy Condition failed: [\"ends-with\", \"$key\", \"x\"]");
  }

  @Test
  void aDocumentS3CannotReadIsAnInvalidPolicyDocument() {
    assertRefused(() -> S3PostPolicy.parse("%%%"), "InvalidPolicyDocument", "Invalid JSON.");
    assertRefused(() -> policy("[1]"), "InvalidPolicyDocument", "Invalid JSON.");
    assertRefused(
        () -> policy("{\"conditions\": []}"), "InvalidPolicyDocument", "Missing expiration.");
    assertRefused(
        () -> policy("{\"expiration\": \"tomorrow\", \"conditions\": []}"),
        "InvalidPolicyDocument",
        "Invalid expiration.");
    assertRefused(
        () -> policy("{\"expiration\": \"2026-01-01T00:00:00Z\"}"),
        "InvalidPolicyDocument",
        "Missing conditions.");
    assertRefused(
        () -> withConditions("[{\"a\": \"1\", \"b\": \"2\"}]"),
        "InvalidPolicyDocument",
        "Simple-Conditions must have exactly one property specified.");
  }
}
