package dev.cumulus.platform.error;

/** S3's code for an error that was raised without one (framework or platform failures). */
public final class S3ErrorCodes {

  private S3ErrorCodes() {}

  public static String of(ErrorKind kind) {
    return switch (kind) {
      case BAD_REQUEST, VALIDATION, UNSUPPORTED_MEDIA_TYPE -> "InvalidRequest";
      case UNAUTHORIZED, FORBIDDEN -> "AccessDenied";
      case NOT_FOUND -> "NoSuchKey";
      case METHOD_NOT_ALLOWED -> "MethodNotAllowed";
      case CONFLICT -> "OperationAborted";
      case PRECONDITION_FAILED -> "PreconditionFailed";
      case RANGE_NOT_SATISFIABLE -> "InvalidRange";
      case PAYLOAD_TOO_LARGE -> "EntityTooLarge";
      case RATE_LIMITED -> "SlowDown";
      case BAD_GATEWAY, SERVICE_UNAVAILABLE, GATEWAY_TIMEOUT -> "ServiceUnavailable";
      case INTERNAL -> "InternalError";
    };
  }
}
