package dev.cumulus.platform.error;

import org.springframework.http.HttpStatus;

/**
 * What went wrong, independent of how a seed family spells it. Each {@link ApiFamily} turns a kind
 * into its own code and status.
 */
public enum ErrorKind {
  BAD_REQUEST(HttpStatus.BAD_REQUEST),
  VALIDATION(HttpStatus.BAD_REQUEST),
  UNAUTHORIZED(HttpStatus.UNAUTHORIZED),
  FORBIDDEN(HttpStatus.FORBIDDEN),
  NOT_FOUND(HttpStatus.NOT_FOUND),
  METHOD_NOT_ALLOWED(HttpStatus.METHOD_NOT_ALLOWED),
  CONFLICT(HttpStatus.CONFLICT),
  PRECONDITION_FAILED(HttpStatus.PRECONDITION_FAILED),
  RANGE_NOT_SATISFIABLE(HttpStatus.REQUESTED_RANGE_NOT_SATISFIABLE),
  PAYLOAD_TOO_LARGE(HttpStatus.CONTENT_TOO_LARGE),
  UNSUPPORTED_MEDIA_TYPE(HttpStatus.UNSUPPORTED_MEDIA_TYPE),
  RATE_LIMITED(HttpStatus.TOO_MANY_REQUESTS),
  BAD_GATEWAY(HttpStatus.BAD_GATEWAY),
  SERVICE_UNAVAILABLE(HttpStatus.SERVICE_UNAVAILABLE),
  GATEWAY_TIMEOUT(HttpStatus.GATEWAY_TIMEOUT),
  INTERNAL(HttpStatus.INTERNAL_SERVER_ERROR);

  private final HttpStatus status;

  ErrorKind(HttpStatus status) {
    this.status = status;
  }

  public HttpStatus defaultStatus() {
    return status;
  }

  /** The kind that best describes a bare HTTP status (used for framework exceptions). */
  public static ErrorKind fromStatus(int status) {
    return switch (status) {
      case 400 -> BAD_REQUEST;
      case 401 -> UNAUTHORIZED;
      case 403 -> FORBIDDEN;
      case 404 -> NOT_FOUND;
      case 405 -> METHOD_NOT_ALLOWED;
      case 409 -> CONFLICT;
      case 412 -> PRECONDITION_FAILED;
      case 416 -> RANGE_NOT_SATISFIABLE;
      case 413 -> PAYLOAD_TOO_LARGE;
      case 415 -> UNSUPPORTED_MEDIA_TYPE;
      case 422 -> VALIDATION;
      case 429 -> RATE_LIMITED;
      case 502 -> BAD_GATEWAY;
      case 503 -> SERVICE_UNAVAILABLE;
      case 504 -> GATEWAY_TIMEOUT;
      default -> status >= 500 ? INTERNAL : BAD_REQUEST;
    };
  }
}
