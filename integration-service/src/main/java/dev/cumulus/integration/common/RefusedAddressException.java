package dev.cumulus.integration.common;

/** A URL whose host is, or resolves to, an address the {@link AddressPolicy} refuses. */
public class RefusedAddressException extends RuntimeException {

  public RefusedAddressException(String message) {
    super(message);
  }
}
