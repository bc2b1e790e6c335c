package dev.cumulus.storage.access.domain;

/**
 * Who makes an S3 request, as access control sees it.
 *
 * @param canonicalId the canonical id of the instance whose key signed it (an instance's service
 *     id), null for an anonymous (unsigned) request
 * @param owner whether it is the bucket's own instance
 */
public record Principal(String canonicalId, boolean owner) {

  public static final Principal ANONYMOUS = new Principal(null, false);

  public boolean anonymous() {
    return canonicalId == null;
  }
}
