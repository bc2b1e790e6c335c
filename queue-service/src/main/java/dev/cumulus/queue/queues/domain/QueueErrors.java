package dev.cumulus.queue.queues.domain;

import dev.cumulus.platform.error.ApiException;
import dev.cumulus.platform.error.ErrorKind;
import java.util.Map;

/**
 * Errors with SQS's codes, raised by the domain and rendered by both adapters: the REST API puts
 * the code in the DockSaaS envelope, the SQS protocol in {@code __type} and {@code
 * x-amzn-query-error}.
 */
public final class QueueErrors {

  private QueueErrors() {}

  public static ApiException of(ErrorKind kind, String code, String message) {
    return new ApiException(kind, message, code, null, Map.of(), null);
  }

  public static ApiException queueDoesNotExist(String name) {
    return of(
        ErrorKind.NOT_FOUND,
        "QueueDoesNotExist",
        "The specified queue " + name + " does not exist.");
  }

  public static ApiException queueNameExists(String name) {
    return of(
        ErrorKind.CONFLICT,
        "QueueNameExists",
        "A queue named " + name + " already exists with different attributes.");
  }

  public static ApiException invalidParameter(String message) {
    return of(ErrorKind.BAD_REQUEST, "InvalidParameterValue", message);
  }

  public static ApiException missingParameter(String name) {
    return of(
        ErrorKind.BAD_REQUEST,
        "MissingParameter",
        "The request must contain the parameter " + name + ".");
  }

  public static ApiException invalidAttributeName(String name) {
    return of(ErrorKind.BAD_REQUEST, "InvalidAttributeName", "Unknown Attribute " + name + ".");
  }

  public static ApiException invalidAttributeValue(String name, String why) {
    return of(
        ErrorKind.BAD_REQUEST,
        "InvalidAttributeValue",
        "Invalid value for the parameter " + name + ". Reason: " + why);
  }

  public static ApiException receiptHandleIsInvalid(String why) {
    return of(
        ErrorKind.BAD_REQUEST,
        "ReceiptHandleIsInvalid",
        "The input receipt handle is invalid. Reason: " + why);
  }

  public static ApiException messageNotInflight() {
    return of(
        ErrorKind.BAD_REQUEST,
        "MessageNotInflight",
        "Value for parameter ReceiptHandle is invalid. Reason: Message does not exist or is not"
            + " available for visibility timeout change.");
  }

  public static ApiException purgeInProgress(String name) {
    return of(
        ErrorKind.FORBIDDEN,
        "PurgeQueueInProgress",
        "Only one PurgeQueue operation on " + name + " is allowed every 60 seconds.");
  }

  public static ApiException invalidMessageContents(String why) {
    return of(ErrorKind.BAD_REQUEST, "InvalidMessageContents", why);
  }
}
