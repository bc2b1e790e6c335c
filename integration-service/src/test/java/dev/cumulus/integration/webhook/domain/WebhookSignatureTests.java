package dev.cumulus.integration.webhook.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class WebhookSignatureTests {

  /** The example of the Standard Webhooks specification (and Svix's documentation). */
  @Test
  void matchesTheSpecificationsExample() {
    String signature =
        WebhookSignature.standard(
            List.of("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"),
            "msg_p5jXN8AQM9LWM0D4loKWxJek",
            1614265330,
            "{\"test\": 2432232314}");
    assertThat(signature).isEqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
  }

  @Test
  void signsWithEverySecretDuringARotation() {
    String a = WebhookSignature.newSecret();
    String b = WebhookSignature.newSecret();
    String both = WebhookSignature.standard(List.of(a, b), "msg_1", 1, "{}");
    assertThat(both.split(" "))
        .containsExactly(
            WebhookSignature.standard(List.of(a), "msg_1", 1, "{}"),
            WebhookSignature.standard(List.of(b), "msg_1", 1, "{}"));
  }

  @Test
  void seedSignatureIsHexHmacOfTheBodyKeyedWithTheWholeSecret() {
    assertThat(WebhookSignature.seed("whsec_key", "{\"a\":1}"))
        .startsWith("sha256=")
        .hasSize("sha256=".length() + 64);
    assertThat(WebhookSignature.seed("whsec_key", "{\"a\":1}"))
        .isNotEqualTo(WebhookSignature.seed("whsec_other", "{\"a\":1}"));
  }

  @Test
  void newSecretsAreDistinctAndWellFormed() {
    String secret = WebhookSignature.newSecret();
    assertThat(secret).startsWith("whsec_").isNotEqualTo(WebhookSignature.newSecret());
    assertThat(java.util.Base64.getDecoder().decode(secret.substring(6))).hasSize(24);
  }
}
