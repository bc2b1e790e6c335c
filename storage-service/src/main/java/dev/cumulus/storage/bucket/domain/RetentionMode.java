package dev.cumulus.storage.bucket.domain;

import java.util.Optional;

/**
 * S3 Object Lock's retention modes. Under GOVERNANCE a version cannot be deleted, nor its retention
 * shortened or removed, unless the request says {@code x-amz-bypass-governance-retention: true};
 * under COMPLIANCE never, and its mode cannot change, until the retain-until date has passed.
 */
public enum RetentionMode {
  GOVERNANCE,
  COMPLIANCE;

  /** The mode S3 spells {@code label}; empty for anything else. */
  public static Optional<RetentionMode> of(String label) {
    for (RetentionMode mode : values()) {
      if (mode.name().equals(label)) {
        return Optional.of(mode);
      }
    }
    return Optional.empty();
  }
}
