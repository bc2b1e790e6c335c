package dev.cumulus.integration.webhook.application;

import java.time.Duration;

/**
 * What one delivery attempt came to.
 *
 * @param statusCode the receiver's final status, null when no response came
 * @param retryAfter the receiver's {@code Retry-After} on 429/502/503/504, else null
 */
record AttemptOutcome(
    Integer statusCode, long latencyMs, String excerpt, String error, Duration retryAfter) {

  boolean succeeded() {
    return statusCode != null && statusCode >= 200 && statusCode < 300;
  }

  /** 410 Gone: the receiver asks to stop; the endpoint is disabled. */
  boolean gone() {
    return statusCode != null && statusCode == 410;
  }
}
