package dev.cumulus.integration.mail.application;

import java.util.Set;

/** SendGrid (or the local fake) answered a mail with an error status. */
class MailRefusedException extends RuntimeException {

  /**
   * 4xx answers that concern the account or the moment, not the mail: a fixed API key, a granted
   * permission or a lifted rate limit lets the same mail go, so these are retried.
   */
  private static final Set<Integer> RETRIED_4XX = Set.of(401, 403, 408, 429);

  private final int status;

  MailRefusedException(int status, String body) {
    super("SendGrid answered " + status + ": " + body);
    this.status = status;
  }

  /** The same mail would be refused again (e.g. 400 for an invalid address, 413 too large). */
  boolean permanent() {
    return status >= 400 && status < 500 && !RETRIED_4XX.contains(status);
  }
}
