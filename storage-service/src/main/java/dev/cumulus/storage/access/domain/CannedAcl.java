package dev.cumulus.storage.access.domain;

import java.util.ArrayList;
import java.util.List;

/** S3's canned ACLs ({@code x-amz-acl}), each a fixed set of grants over the owner's. */
public enum CannedAcl {
  PRIVATE("private"),
  PUBLIC_READ("public-read"),
  PUBLIC_READ_WRITE("public-read-write"),
  AUTHENTICATED_READ("authenticated-read"),
  BUCKET_OWNER_READ("bucket-owner-read"),
  BUCKET_OWNER_FULL_CONTROL("bucket-owner-full-control"),
  LOG_DELIVERY_WRITE("log-delivery-write");

  private final String header;

  CannedAcl(String header) {
    this.header = header;
  }

  public String header() {
    return header;
  }

  /** The canned ACL of this {@code x-amz-acl} value; null when there is none such. */
  public static CannedAcl of(String header) {
    for (CannedAcl acl : values()) {
      if (acl.header.equals(header)) {
        return acl;
      }
    }
    return null;
  }

  /**
   * The ACL it stands for.
   *
   * @param owner the resource's owner
   * @param bucketOwner the bucket's owner (differs from {@code owner} for an object another
   *     instance wrote)
   */
  public AccessControlList toAcl(String owner, String bucketOwner) {
    List<Grant> grants = new ArrayList<>();
    grants.add(new Grant(Grantee.user(owner), Permission.FULL_CONTROL));
    switch (this) {
      case PRIVATE -> {}
      case PUBLIC_READ -> grants.add(new Grant(Grantee.group(Grantee.ALL_USERS), Permission.READ));
      case PUBLIC_READ_WRITE -> {
        grants.add(new Grant(Grantee.group(Grantee.ALL_USERS), Permission.READ));
        grants.add(new Grant(Grantee.group(Grantee.ALL_USERS), Permission.WRITE));
      }
      case AUTHENTICATED_READ ->
          grants.add(new Grant(Grantee.group(Grantee.AUTHENTICATED_USERS), Permission.READ));
      case BUCKET_OWNER_READ -> {
        if (!bucketOwner.equals(owner)) {
          grants.add(new Grant(Grantee.user(bucketOwner), Permission.READ));
        }
      }
      case BUCKET_OWNER_FULL_CONTROL -> {
        if (!bucketOwner.equals(owner)) {
          grants.add(new Grant(Grantee.user(bucketOwner), Permission.FULL_CONTROL));
        }
      }
      case LOG_DELIVERY_WRITE -> {
        grants.add(new Grant(Grantee.group(Grantee.LOG_DELIVERY), Permission.WRITE));
        grants.add(new Grant(Grantee.group(Grantee.LOG_DELIVERY), Permission.READ_ACP));
      }
    }
    return new AccessControlList(owner, grants);
  }
}
