package dev.cumulus.storage.access.domain;

/**
 * Whom an ACL grant names: an instance by its canonical id, or one of S3's predefined groups.
 *
 * @param id the canonical id, null for a group
 * @param uri the group's URI, null for a canonical user
 */
public record Grantee(String id, String uri) {

  public static final String ALL_USERS = "http://acs.amazonaws.com/groups/global/AllUsers";
  public static final String AUTHENTICATED_USERS =
      "http://acs.amazonaws.com/groups/global/AuthenticatedUsers";
  public static final String LOG_DELIVERY = "http://acs.amazonaws.com/groups/s3/LogDelivery";

  public static Grantee user(String id) {
    return new Grantee(id, null);
  }

  public static Grantee group(String uri) {
    return new Grantee(null, uri);
  }

  public static boolean knownGroup(String uri) {
    return ALL_USERS.equals(uri) || AUTHENTICATED_USERS.equals(uri) || LOG_DELIVERY.equals(uri);
  }

  /** Everyone, or everyone with any instance's key: what makes a grant public. */
  public boolean isPublic() {
    return ALL_USERS.equals(uri) || AUTHENTICATED_USERS.equals(uri);
  }

  public boolean includes(Principal principal) {
    if (uri != null) {
      return ALL_USERS.equals(uri) || (AUTHENTICATED_USERS.equals(uri) && !principal.anonymous());
    }
    return id.equals(principal.canonicalId());
  }
}
