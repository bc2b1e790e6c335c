package dev.cumulus.platform.authclient;

/** auth-service could not answer (down, timed out, or an unexpected status). */
public class AuthServiceUnavailableException extends RuntimeException {

  public AuthServiceUnavailableException(String message) {
    super(message);
  }

  public AuthServiceUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
