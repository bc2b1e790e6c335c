package dev.cumulus.platform.security;

/**
 * Where a session's end is recorded so that its access tokens stop working before they expire:
 * auth-service writes one Redis key per ended session (logout, or a refresh token presented twice)
 * and keeps it as long as an access token of the session may live; the gateway refuses a token
 * whose {@link CumulusClaims#SESSION_ID sid} has that key.
 */
public final class EndedSessions {

  private static final String KEY_PREFIX = "cumulus:ended-session:";

  private EndedSessions() {}

  /** The Redis key marking session {@code sessionId} as ended. */
  public static String redisKey(String sessionId) {
    return KEY_PREFIX + sessionId;
  }
}
