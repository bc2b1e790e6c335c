package dev.cumulus.function.lambda.web;

import dev.cumulus.platform.error.ApiException;
import dev.cumulus.platform.error.ErrorKind;
import java.util.Map;

/** Lambda's error codes: the domain's own, and SigV4's (S3-named) failures mapped onto them. */
final class LambdaErrors {

  private LambdaErrors() {}

  static ApiException of(ErrorKind kind, String code, String message) {
    return new ApiException(kind, message, code, null, Map.of(), null);
  }

  /** The {@code x-amzn-ErrorType} of an error. */
  static String code(ApiException e) {
    String code = e.code();
    if (code != null && code.endsWith("Exception")) {
      return code;
    }
    if ("SignatureDoesNotMatch".equals(code)) {
      return "InvalidSignatureException";
    }
    if ("InvalidAccessKeyId".equals(code)) {
      return "UnrecognizedClientException";
    }
    return switch (e.kind()) {
      case NOT_FOUND -> "ResourceNotFoundException";
      case CONFLICT -> "ResourceConflictException";
      case FORBIDDEN, UNAUTHORIZED -> "AccessDeniedException";
      case RATE_LIMITED -> "TooManyRequestsException";
      case PAYLOAD_TOO_LARGE -> "RequestTooLargeException";
      case BAD_REQUEST, VALIDATION, METHOD_NOT_ALLOWED, UNSUPPORTED_MEDIA_TYPE ->
          "InvalidParameterValueException";
      default -> "ServiceException";
    };
  }
}
