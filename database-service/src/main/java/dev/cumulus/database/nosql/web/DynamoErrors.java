package dev.cumulus.database.nosql.web;

import dev.cumulus.database.nosql.domain.DynamoException;
import dev.cumulus.platform.error.ApiException;
import dev.cumulus.platform.error.ErrorKind;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Errors as DynamoDB's JSON protocol sends them: status 400 (500 for our own faults, 503 while an
 * instance is not ready) and {@code {"__type":"<namespace>#<name>","message":...}}. SigV4 failures
 * arrive with S3's codes and leave with DynamoDB's.
 */
final class DynamoErrors {

  static final String DYNAMODB = "com.amazonaws.dynamodb.v20120810#";
  static final String CORAL_SERVICE = "com.amazon.coral.service#";
  static final String CORAL_VALIDATE = "com.amazon.coral.validate#";

  /** An error's status and body. */
  record Rendered(int status, ObjectNode body) {}

  private DynamoErrors() {}

  static Rendered render(Throwable error) {
    if (error instanceof DynamoException e) {
      String namespace = e.type().equals("ValidationException") ? CORAL_VALIDATE : DYNAMODB;
      ObjectNode body = body(namespace + e.type(), e.getMessage());
      if (!e.cancellationReasons().isEmpty()) {
        ArrayNode reasons = body.putArray("CancellationReasons");
        for (Map<String, Object> reason : e.cancellationReasons()) {
          ObjectNode r = reasons.addObject();
          reason.forEach(
              (k, v) -> {
                if (v instanceof JsonNode node) {
                  if (e.itemsReturned()) {
                    r.set(k, node);
                  }
                } else {
                  r.put(k, String.valueOf(v));
                }
              });
        }
      }
      if (e.itemsReturned() && e.item() != null) {
        body.set("Item", e.item());
      }
      return new Rendered(400, body);
    }
    if (error instanceof ApiException e) {
      String code = e.code() == null ? "" : e.code();
      return switch (code) {
        case "InvalidAccessKeyId" ->
            client(
                "UnrecognizedClientException",
                "The security token included in the request is invalid.");
        case "SignatureDoesNotMatch" ->
            client(
                "InvalidSignatureException",
                "The request signature we calculated does not match the signature you provided."
                    + " Check your AWS Secret Access Key and signing method. Consult the service"
                    + " documentation for details.");
        case "RequestTimeTooSkewed" ->
            client("InvalidSignatureException", "Signature expired: " + e.getMessage());
        case "AccessDenied" ->
            client(
                "MissingAuthenticationTokenException", "Request is missing Authentication Token");
        case "AuthorizationHeaderMalformed", "InvalidRequest" ->
            client("IncompleteSignatureException", e.getMessage());
        default -> byKind(e);
      };
    }
    return new Rendered(500, body(DYNAMODB + "InternalServerError", "Internal server error"));
  }

  private static Rendered byKind(ApiException e) {
    if (e.kind() == ErrorKind.NOT_FOUND) {
      // The access key's instance is gone.
      return client(
          "UnrecognizedClientException", "The security token included in the request is invalid.");
    }
    if (e.kind() == ErrorKind.SERVICE_UNAVAILABLE) {
      return new Rendered(503, body(CORAL_SERVICE + "ServiceUnavailableException", e.getMessage()));
    }
    if (e.kind() == ErrorKind.INTERNAL) {
      return new Rendered(500, body(DYNAMODB + "InternalServerError", "Internal server error"));
    }
    return new Rendered(400, body(CORAL_VALIDATE + "ValidationException", e.getMessage()));
  }

  private static Rendered client(String type, String message) {
    return new Rendered(400, body(CORAL_SERVICE + type, message));
  }

  static ObjectNode body(String type, String message) {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.put("__type", type);
    body.put("message", message);
    return body;
  }
}
