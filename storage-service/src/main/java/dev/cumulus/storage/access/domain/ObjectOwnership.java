package dev.cumulus.storage.access.domain;

/** S3 Object Ownership: whether ACLs count ({@link #BUCKET_OWNER_ENFORCED}: they do not). */
public enum ObjectOwnership {
  BUCKET_OWNER_ENFORCED("BucketOwnerEnforced"),
  BUCKET_OWNER_PREFERRED("BucketOwnerPreferred"),
  OBJECT_WRITER("ObjectWriter");

  private final String value;

  ObjectOwnership(String value) {
    this.value = value;
  }

  public String value() {
    return value;
  }

  public boolean aclsEnabled() {
    return this != BUCKET_OWNER_ENFORCED;
  }

  /** The setting of this name; null when S3 has none such. */
  public static ObjectOwnership of(String value) {
    for (ObjectOwnership o : values()) {
      if (o.value.equals(value)) {
        return o;
      }
    }
    return null;
  }
}
