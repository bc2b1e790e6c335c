package dev.cumulus.storage.access.domain;

/** A bucket policy S3 would refuse as {@code MalformedPolicy}; the message says why, as S3's. */
public class PolicyException extends RuntimeException {

  public PolicyException(String message) {
    super(message);
  }
}
