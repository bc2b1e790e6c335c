package dev.cumulus.platform.security;

/**
 * Names of the claims in a Cumulus access token, shared by the issuer (auth-service) and every
 * verifier (gateway, services). docs/identity.md explains each one.
 */
public final class CumulusClaims {

  private CumulusClaims() {}

  public static final String DEFAULT_ISSUER = "cumulus";

  public static final String TENANT_ID = "tenant_id";
  public static final String TENANT_DOMAIN = "tenant_domain";
  public static final String PLAN = "plan";
  public static final String USERNAME = "username";
  public static final String EMAIL = "email";
  public static final String ROLES = "roles";
  public static final String PERMISSIONS = "permissions";
  public static final String SESSION_ID = "sid";

  /** Only on tokens exchanged for an API key. */
  public static final String API_KEY_ID = "api_key_id";

  public static final String SCOPES = "scopes";
  public static final String SERVICE_ID = "service_id";

  /** The role that may act on every tenant. */
  public static final String ROLE_PLATFORM_ADMIN = "platform_admin";

  /** A tenant's administrator. */
  public static final String ROLE_ADMIN = "admin";

  /** Header carrying the caller's user id to services, set by the gateway from the token. */
  public static final String USER_ID_HEADER = "X-Cumulus-User-Id";
}
