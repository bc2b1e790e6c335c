package dev.cumulus.queue.sqs.web;

import dev.cumulus.platform.error.ApiException;
import dev.cumulus.platform.error.ErrorKind;
import java.util.Map;

/**
 * SQS's error codes as the JSON protocol sends them: the HTTP status, and the query protocol's code
 * for the {@code x-amzn-query-error: <code>;Sender} header (SDKs in query-compatible mode read the
 * code from it). SigV4 failures come with S3's codes; they are turned into SQS's here.
 */
final class SqsErrors {

  /** A code as sent: HTTP status, query-protocol code, whether the sender is at fault. */
  record Wire(int status, String queryCode, boolean sender) {}

  private static final Map<String, Wire> CODES =
      Map.ofEntries(
          sender("QueueDoesNotExist", 400, "AWS.SimpleQueueService.NonExistentQueue"),
          sender("QueueNameExists", 400, "QueueAlreadyExists"),
          sender("QueueDeletedRecently", 400, "AWS.SimpleQueueService.QueueDeletedRecently"),
          sender("ReceiptHandleIsInvalid", 404, "ReceiptHandleIsInvalid"),
          sender("MessageNotInflight", 400, "AWS.SimpleQueueService.MessageNotInflight"),
          sender("PurgeQueueInProgress", 403, "AWS.SimpleQueueService.PurgeQueueInProgress"),
          sender(
              "TooManyEntriesInBatchRequest",
              400,
              "AWS.SimpleQueueService.TooManyEntriesInBatchRequest"),
          sender("EmptyBatchRequest", 400, "AWS.SimpleQueueService.EmptyBatchRequest"),
          sender(
              "BatchEntryIdsNotDistinct", 400, "AWS.SimpleQueueService.BatchEntryIdsNotDistinct"),
          sender("BatchRequestTooLong", 400, "AWS.SimpleQueueService.BatchRequestTooLong"),
          sender("InvalidBatchEntryId", 400, "AWS.SimpleQueueService.InvalidBatchEntryId"),
          sender("ResourceNotFoundException", 400, "ResourceNotFoundException"),
          sender("UnsupportedOperation", 400, "AWS.SimpleQueueService.UnsupportedOperation"),
          sender("InvalidAttributeName", 400, "InvalidAttributeName"),
          sender("InvalidAttributeValue", 400, "InvalidAttributeValue"),
          sender("InvalidMessageContents", 400, "InvalidMessageContents"),
          sender("InvalidParameterValue", 400, "InvalidParameterValue"),
          sender("MissingParameter", 400, "MissingParameter"),
          sender("InvalidAction", 400, "InvalidAction"),
          sender("OverLimit", 403, "OverLimit"),
          sender("AccessDenied", 403, "AccessDenied"),
          sender("InvalidClientTokenId", 403, "InvalidClientTokenId"),
          sender("SignatureDoesNotMatch", 403, "SignatureDoesNotMatch"),
          sender("IncompleteSignature", 400, "IncompleteSignature"),
          sender("RequestExpired", 400, "RequestExpired"),
          sender("MissingAuthenticationToken", 403, "MissingAuthenticationToken"),
          sender("RequestThrottled", 403, "RequestThrottled"),
          Map.entry("ServiceUnavailable", new Wire(503, "ServiceUnavailable", false)),
          Map.entry("InternalFailure", new Wire(500, "InternalFailure", false)));

  private SqsErrors() {}

  /** How a code is sent; unknown codes by the kind's status. */
  static Wire wire(String code, ErrorKind kind) {
    Wire known = CODES.get(code);
    if (known != null) {
      return known;
    }
    int status = kind.defaultStatus().value();
    return new Wire(status, code, status < 500);
  }

  /** The SQS code of a failure: the thrower's, translated from S3's for SigV4 failures. */
  static String code(ApiException e) {
    String code = e.code();
    if (code == null) {
      return switch (e.kind()) {
        case NOT_FOUND -> "QueueDoesNotExist";
        case UNAUTHORIZED -> "MissingAuthenticationToken";
        case FORBIDDEN -> "AccessDenied";
        case SERVICE_UNAVAILABLE, BAD_GATEWAY, GATEWAY_TIMEOUT -> "ServiceUnavailable";
        case RATE_LIMITED -> "RequestThrottled";
        case INTERNAL -> "InternalFailure";
        default -> "InvalidParameterValue";
      };
    }
    return switch (code) {
      case "InvalidAccessKeyId" -> "InvalidClientTokenId";
      case "AuthorizationHeaderMalformed", "AuthorizationQueryParametersError", "InvalidRequest" ->
          "IncompleteSignature";
      case "RequestTimeTooSkewed" -> "RequestExpired";
      case "AccessDenied" ->
          e.getMessage() != null && e.getMessage().contains("expired")
              ? "RequestExpired"
              : e.getMessage() != null && e.getMessage().equals("Access Denied")
                  ? "MissingAuthenticationToken"
                  : "AccessDenied";
      default -> code;
    };
  }

  private static Map.Entry<String, Wire> sender(String code, int status, String queryCode) {
    return Map.entry(code, new Wire(status, queryCode, true));
  }
}
