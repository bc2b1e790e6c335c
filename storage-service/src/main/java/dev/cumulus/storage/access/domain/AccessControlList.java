package dev.cumulus.storage.access.domain;

import java.util.List;

/**
 * A bucket's or an object's ACL: its owner and its grants, as S3's AccessControlPolicy.
 *
 * @param owner the owner's canonical id
 */
public record AccessControlList(String owner, List<Grant> grants) {

  public AccessControlList {
    grants = List.copyOf(grants);
  }

  /** The ACL every bucket and object has until given another: the owner with FULL_CONTROL. */
  public static AccessControlList ownerOnly(String owner) {
    return new AccessControlList(
        owner, List.of(new Grant(Grantee.user(owner), Permission.FULL_CONTROL)));
  }

  /** Whether a grant gives {@code principal} the permission, public grants ignored if asked. */
  public boolean allows(Principal principal, Permission needed, boolean ignorePublic) {
    for (Grant grant : grants) {
      if (ignorePublic && grant.grantee().isPublic()) {
        continue;
      }
      if (grant.permission().covers(needed) && grant.grantee().includes(principal)) {
        return true;
      }
    }
    return false;
  }

  /** Whether it grants anything to AllUsers or AuthenticatedUsers (S3's "public" ACL). */
  public boolean isPublic() {
    return grants.stream().anyMatch(g -> g.grantee().isPublic());
  }

  /** Whether it gives nothing to anyone but the owner (allowed under BucketOwnerEnforced). */
  public boolean ownerFullControlOnly() {
    return grants.stream()
        .allMatch(g -> owner.equals(g.grantee().id()) && g.permission() == Permission.FULL_CONTROL);
  }
}
