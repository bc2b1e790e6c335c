package dev.cumulus.storage.bucket.domain;

/**
 * A bucket's S3 versioning state. A bucket that was never versioned differs from a suspended one
 * only in what S3 reports (no Status) and in not returning version ids; both write version "null".
 */
public enum VersioningStatus {
  UNVERSIONED("Unversioned"),
  ENABLED("Enabled"),
  SUSPENDED("Suspended");

  private final String label;

  VersioningStatus(String label) {
    this.label = label;
  }

  /** The database and S3 spelling ({@code Enabled}, {@code Suspended}). */
  public String label() {
    return label;
  }

  public static VersioningStatus of(String label) {
    for (VersioningStatus s : values()) {
      if (s.label.equals(label)) {
        return s;
      }
    }
    throw new IllegalArgumentException("Unknown versioning status " + label);
  }
}
