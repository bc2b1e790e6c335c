package dev.cumulus.storage.access.domain;

import java.util.UUID;

/**
 * Everything a request's access decision needs of its bucket, read together and cached.
 *
 * @param name the bucket's name
 * @param owner the bucket owner's canonical id (its instance's service id)
 * @param publicObjects the seed API's {@code publicAccess}: its objects readable by anyone
 * @param ownership its Object Ownership; null when its ownership controls were deleted
 * @param acl its ACL
 * @param policy its compiled policy, null for none
 * @param publicAccessBlock its PublicAccessBlock, null for none
 */
public record BucketAccess(
    UUID bucketId,
    String name,
    String owner,
    boolean publicObjects,
    ObjectOwnership ownership,
    AccessControlList acl,
    BucketPolicy policy,
    PublicAccessBlock publicAccessBlock) {

  public boolean aclsEnabled() {
    return ownership == null || ownership.aclsEnabled();
  }

  public PublicAccessBlock block() {
    return publicAccessBlock == null ? PublicAccessBlock.NONE : publicAccessBlock;
  }
}
