package dev.cumulus.storage.object.domain;

/**
 * A key that breaks {@link ObjectKeys}' rules. Each web adapter answers it in its own protocol's
 * terms (S3: {@code KeyTooLongError} or {@code InvalidArgument}).
 */
public final class InvalidKeyException extends IllegalArgumentException {

  private final boolean tooLong;

  InvalidKeyException(String reason, boolean tooLong) {
    super(reason);
    this.tooLong = tooLong;
  }

  /** Whether the key is valid but for its length. */
  public boolean tooLong() {
    return tooLong;
  }
}
