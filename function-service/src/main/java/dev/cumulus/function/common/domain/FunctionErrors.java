package dev.cumulus.function.common.domain;

import dev.cumulus.platform.error.ApiException;
import dev.cumulus.platform.error.ErrorKind;
import java.util.Map;

/**
 * Errors with AWS Lambda's codes, rendered by both adapters: the REST API puts the code in the
 * DockSaaS envelope, the Lambda protocol in {@code x-amzn-ErrorType}.
 */
public final class FunctionErrors {

  private FunctionErrors() {}

  public static ApiException of(ErrorKind kind, String code, String message) {
    return new ApiException(kind, message, code, null, Map.of(), null);
  }

  public static ApiException notFound(String name) {
    return of(ErrorKind.NOT_FOUND, "ResourceNotFoundException", "Function not found: " + name);
  }

  public static ApiException conflict(String message) {
    return of(ErrorKind.CONFLICT, "ResourceConflictException", message);
  }

  public static ApiException invalidParameter(String message) {
    return of(ErrorKind.BAD_REQUEST, "InvalidParameterValueException", message);
  }

  public static ApiException invalidZip(String message) {
    return of(
        ErrorKind.BAD_REQUEST,
        "InvalidParameterValueException",
        "Could not unzip uploaded file: " + message);
  }

  public static ApiException tooManyRequests(String message) {
    return of(ErrorKind.RATE_LIMITED, "TooManyRequestsException", message);
  }

  public static ApiException serviceError(String message) {
    return of(ErrorKind.BAD_GATEWAY, "ServiceException", message);
  }
}
