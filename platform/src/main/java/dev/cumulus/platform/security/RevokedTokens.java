package dev.cumulus.platform.security;

import java.time.Instant;

/**
 * Where auth-service records that access tokens must stop working before they expire, and where the
 * gateway and every service look ({@link RevocationCheck}); each key lives as long as a token it
 * revokes may live:
 *
 * <ul>
 *   <li>an ended session (logout, or a refresh token presented twice): every token of the session;
 *   <li>a revoked subject, with the instant of the change: every token of that subject (a user id,
 *       or {@code key:<id>} for an API key) issued at or before it. Written when a user is
 *       deactivated, deleted, demoted or changes password, and when an API key is revoked.
 * </ul>
 */
public final class RevokedTokens {

  private static final String SESSION_PREFIX = "cumulus:ended-session:";
  private static final String SUBJECT_PREFIX = "cumulus:revoked-subject:";

  private RevokedTokens() {}

  /** The Redis key marking session {@code sessionId} as ended. */
  public static String sessionKey(String sessionId) {
    return SESSION_PREFIX + sessionId;
  }

  /** The Redis key holding when {@code subject}'s earlier tokens were revoked (epoch seconds). */
  public static String subjectKey(String subject) {
    return SUBJECT_PREFIX + subject;
  }

  /** The value stored at {@link #subjectKey}: the second of the change. */
  public static String subjectValue(Instant revokedAt) {
    return Long.toString(revokedAt.getEpochSecond());
  }

  /**
   * Whether a token issued at {@code issuedAt} predates a revocation stored as {@code value}. Token
   * issue times are whole seconds, so a token of the same second as the change counts as before it:
   * refusing a fresh token for a second is safer than accepting a stale one.
   */
  static boolean predates(Instant issuedAt, String value) {
    if (value == null) {
      return false;
    }
    if (issuedAt == null) {
      return true;
    }
    try {
      return issuedAt.getEpochSecond() <= Long.parseLong(value);
    } catch (NumberFormatException e) {
      return true; // a value auth-service did not write: fail closed for this subject
    }
  }
}
