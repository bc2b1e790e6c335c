package dev.cumulus.devstack;

/** A problem the user can fix: printed as a plain message, without a stack trace. */
public class DevStackException extends RuntimeException {

  public DevStackException(String message) {
    super(message);
  }

  public DevStackException(String message, Throwable cause) {
    super(message, cause);
  }
}
