package dev.cumulus.integration;

/** Secrets for negative checks. */
final class WebhookSignatureFixtures {

  private WebhookSignatureFixtures() {}

  /** A well-formed secret no endpoint has. */
  static String otherSecret() {
    return "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  }
}
