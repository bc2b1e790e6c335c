package dev.cumulus.auth.common.application;

import dev.cumulus.platform.error.ApiException;
import dev.cumulus.platform.error.ErrorKind;
import java.time.Duration;

/** A 429 that tells the caller, in {@code Retry-After}, when to try again. */
public class TooManyAttemptsException extends ApiException {

  private final Duration retryAfter;

  public TooManyAttemptsException(String message, Duration retryAfter) {
    super(ErrorKind.RATE_LIMITED, message);
    this.retryAfter = retryAfter;
  }

  public Duration retryAfter() {
    return retryAfter;
  }
}
