package dev.cumulus.storage.access.domain;

/** An ACL permission, as S3 names it. */
public enum Permission {
  READ,
  WRITE,
  READ_ACP,
  WRITE_ACP,
  FULL_CONTROL;

  /** The permission of this name; null when S3 has none such. */
  public static Permission of(String name) {
    for (Permission p : values()) {
      if (p.name().equals(name)) {
        return p;
      }
    }
    return null;
  }

  /** Whether a grant of this permission gives {@code needed}. */
  public boolean covers(Permission needed) {
    return this == FULL_CONTROL || this == needed;
  }
}
