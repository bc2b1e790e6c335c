package dev.cumulus.platform.error;

import java.util.List;
import java.util.Map;

/**
 * The root of every error a Cumulus service raises on purpose. The web layer renders it in the
 * envelope of the seed family that owns the route; the exception itself knows nothing of envelopes.
 *
 * <p>{@code code} optionally overrides the family's default code for the kind (DockSaaS uses
 * S3-style codes such as {@code NoSuchBucket}); {@code details} is a free-form explanation and
 * {@code fieldErrors} names each invalid input field.
 */
public class ApiException extends RuntimeException {

  private final ErrorKind kind;
  private final String code;
  private final String details;
  private final Map<String, List<String>> fieldErrors;

  public ApiException(ErrorKind kind, String message) {
    this(kind, message, null, null, Map.of(), null);
  }

  public ApiException(
      ErrorKind kind,
      String message,
      String code,
      String details,
      Map<String, List<String>> fieldErrors,
      Throwable cause) {
    super(message, cause);
    this.kind = kind;
    this.code = code;
    this.details = details;
    this.fieldErrors = fieldErrors == null ? Map.of() : Map.copyOf(fieldErrors);
  }

  public ErrorKind kind() {
    return kind;
  }

  /** A family-specific code chosen by the thrower, or null for the family default. */
  public String code() {
    return code;
  }

  public String details() {
    return details;
  }

  public Map<String, List<String>> fieldErrors() {
    return fieldErrors;
  }

  public static ApiException badRequest(String message) {
    return new ApiException(ErrorKind.BAD_REQUEST, message);
  }

  public static ApiException notFound(String message) {
    return new NotFoundException(message);
  }

  public static ApiException conflict(String message) {
    return new ConflictException(message);
  }

  public static ApiException unauthorized(String message) {
    return new ApiException(ErrorKind.UNAUTHORIZED, message);
  }

  public static ApiException forbidden(String message) {
    return new ApiException(ErrorKind.FORBIDDEN, message);
  }

  public static ApiException validation(String message, Map<String, List<String>> fieldErrors) {
    return new ValidationException(message, fieldErrors);
  }

  /** A resource that does not exist, or that the caller may not know exists. */
  public static class NotFoundException extends ApiException {
    public NotFoundException(String message) {
      super(ErrorKind.NOT_FOUND, message);
    }
  }

  /** A resource that already exists or is in a state that forbids the change. */
  public static class ConflictException extends ApiException {
    public ConflictException(String message) {
      super(ErrorKind.CONFLICT, message);
    }
  }

  /** Input that parsed but broke a rule; {@link #fieldErrors()} says which fields. */
  public static class ValidationException extends ApiException {
    public ValidationException(String message, Map<String, List<String>> fieldErrors) {
      super(ErrorKind.VALIDATION, message, null, null, fieldErrors, null);
    }
  }
}
