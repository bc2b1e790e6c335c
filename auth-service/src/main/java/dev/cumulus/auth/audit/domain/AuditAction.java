package dev.cumulus.auth.audit.domain;

/** What an audited write did. */
public enum AuditAction {
  CREATE,
  UPDATE,
  DELETE,
  LOGIN,
  LOGOUT,
  TOKEN_REFRESH,
  TOKEN_ISSUE,
  REVOKE,
  ROTATE,
  /** A platform administrator took a token to act on another tenant. */
  ACT_AS
}
