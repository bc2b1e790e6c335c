package dev.cumulus.platform.error;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import tools.jackson.databind.json.JsonMapper;

/**
 * The API families Cumulus serves (one per seed in shared/seeds, plus the S3 wire protocol), each
 * with the exact error envelope its documentation shows. Which paths belong to which family is said
 * once, in the service registry ({@code services.yml}). Adding a family means adding a constant
 * here.
 */
public enum ApiFamily {

  /** Seed 000: {@code {"error":{"code","message","details"},"requestId"}}. */
  DOCKSAAS {
    @Override
    Map<String, Object> body(ApiError e, HttpStatus status) {
      Map<String, Object> error = new LinkedHashMap<>();
      error.put("code", e.code() != null ? e.code() : docksaasCode(e.kind()));
      error.put("message", e.message());
      error.put("details", detailsOrFields(e));
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("error", error);
      body.put("requestId", e.requestId());
      return body;
    }
  },

  /** Seed 001: {@code {"error":"Not Found","message":"..."}}. */
  EVENTFLOW {
    @Override
    Map<String, Object> body(ApiError e, HttpStatus status) {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("error", status.getReasonPhrase());
      body.put("message", e.message());
      return body;
    }
  },

  /** Seed 002: {@code {success:false,message,error:{code,details,fields},meta:{request_id}}}. */
  AUTO_UPDATE {
    @Override
    Map<String, Object> body(ApiError e, HttpStatus status) {
      Map<String, Object> error = new LinkedHashMap<>();
      error.put("code", e.code() != null ? e.code() : autoUpdateCode(e.kind()));
      error.put("details", e.details() != null ? e.details() : e.message());
      if (!e.fieldErrors().isEmpty()) {
        error.put("fields", e.fieldErrors());
      }
      Map<String, Object> meta = new LinkedHashMap<>();
      meta.put("request_id", e.requestId());
      meta.put("timestamp", e.timestamp().toString());
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("success", false);
      body.put("message", e.message());
      body.put("error", error);
      body.put("meta", meta);
      return body;
    }

    @Override
    public HttpStatus status(ErrorKind kind) {
      // The seed reserves 422 for validation errors and 400 for malformed requests.
      return kind == ErrorKind.VALIDATION ? HttpStatus.UNPROCESSABLE_CONTENT : kind.defaultStatus();
    }
  },

  /** Seed 003: {@code {"status":"failure","error":"...","data":null}}. */
  MULTI_TENANT {
    @Override
    Map<String, Object> body(ApiError e, HttpStatus status) {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("status", "failure");
      body.put("error", withFields(e));
      body.put("data", null);
      return body;
    }
  },

  /** Seed 004: {@code {"success":false,"error":{"message":"..."}}}. */
  CLOUD_INTEGRATION {
    @Override
    Map<String, Object> body(ApiError e, HttpStatus status) {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("success", false);
      body.put("error", Map.of("message", withFields(e)));
      return body;
    }
  },

  /**
   * The SQS JSON protocol (queue-service): {@code {"__type":"com.amazonaws.sqs#<Code>","message"}}
   * in {@code application/x-amz-json-1.0}, as current AWS SDKs read it. Errors the gateway raises
   * itself (rate limit, unavailable) read like the service's own.
   */
  SQS {
    @Override
    Map<String, Object> body(ApiError e, HttpStatus status) {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("__type", "com.amazonaws.sqs#" + (e.code() != null ? e.code() : sqsCode(e.kind())));
      body.put("message", e.message());
      return body;
    }

    @Override
    public MediaType mediaType() {
      return AWS_JSON;
    }

    /**
     * Text, not a map: no JSON writer takes application/x-amz-json-1.0 (a map was a 500). Jackson's
     * shared mapper writes it, so every character of a message is escaped as JSON requires.
     */
    @Override
    public Object payload(ApiError error) {
      return JsonMapper.shared().writeValueAsString(render(error));
    }
  },

  /**
   * The S3 wire protocol (storage-service, through the gateway): AWS's XML {@code
   * <Error><Code/><Message/><RequestId/></Error>}, so S3 clients read errors the gateway raises
   * itself (rate limit, service unavailable) as they read the storage service's.
   */
  S3 {
    @Override
    Map<String, Object> body(ApiError e, HttpStatus status) {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("Code", e.code() != null ? e.code() : S3ErrorCodes.of(e.kind()));
      body.put("Message", e.message());
      body.put("RequestId", e.requestId());
      return body;
    }

    @Override
    public MediaType mediaType() {
      return MediaType.APPLICATION_XML;
    }

    @Override
    public Object payload(ApiError error) {
      StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error>");
      render(error)
          .forEach(
              (name, value) -> {
                if (value != null) {
                  xml.append('<').append(name).append('>');
                  xml.append(escapeXml(value.toString()));
                  xml.append("</").append(name).append('>');
                }
              });
      return xml.append("</Error>").toString();
    }
  };

  /** The content type of AWS's JSON 1.0 protocols (SQS, DynamoDB). */
  public static final MediaType AWS_JSON = MediaType.parseMediaType("application/x-amz-json-1.0");

  /** The HTTP status this family uses for a kind of error. */
  public HttpStatus status(ErrorKind kind) {
    return kind.defaultStatus();
  }

  /** The error body, key order as in the seed. */
  public Map<String, Object> render(ApiError error) {
    return body(error, status(error.kind()));
  }

  abstract Map<String, Object> body(ApiError e, HttpStatus status);

  /** The media type of this family's error body. */
  public MediaType mediaType() {
    return MediaType.APPLICATION_JSON;
  }

  /** The error body as written: {@link #render}'s map (JSON), or text for non-JSON families. */
  public Object payload(ApiError error) {
    return render(error);
  }

  private static String escapeXml(String text) {
    return text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;")
        .replace("'", "&apos;");
  }

  private static String docksaasCode(ErrorKind kind) {
    return switch (kind) {
      case BAD_REQUEST, VALIDATION -> "InvalidRequest";
      case UNAUTHORIZED -> "Unauthorized";
      case FORBIDDEN -> "AccessDenied";
      case NOT_FOUND -> "NotFound";
      case METHOD_NOT_ALLOWED -> "MethodNotAllowed";
      case CONFLICT -> "Conflict";
      case PRECONDITION_FAILED -> "PreconditionFailed";
      case RANGE_NOT_SATISFIABLE -> "InvalidRange";
      case PAYLOAD_TOO_LARGE -> "EntityTooLarge";
      case UNSUPPORTED_MEDIA_TYPE -> "UnsupportedMediaType";
      case RATE_LIMITED -> "TooManyRequests";
      case BAD_GATEWAY -> "BadGateway";
      case SERVICE_UNAVAILABLE -> "ServiceUnavailable";
      case GATEWAY_TIMEOUT -> "GatewayTimeout";
      case INTERNAL -> "InternalError";
    };
  }

  private static String sqsCode(ErrorKind kind) {
    return switch (kind) {
      case BAD_REQUEST, VALIDATION, METHOD_NOT_ALLOWED, UNSUPPORTED_MEDIA_TYPE, PAYLOAD_TOO_LARGE ->
          "InvalidParameterValue";
      case UNAUTHORIZED -> "MissingAuthenticationToken";
      case FORBIDDEN -> "AccessDenied";
      case NOT_FOUND -> "QueueDoesNotExist";
      case CONFLICT, PRECONDITION_FAILED, RANGE_NOT_SATISFIABLE -> "InvalidParameterValue";
      case RATE_LIMITED -> "RequestThrottled";
      case BAD_GATEWAY, SERVICE_UNAVAILABLE, GATEWAY_TIMEOUT -> "ServiceUnavailable";
      case INTERNAL -> "InternalError";
    };
  }

  private static String autoUpdateCode(ErrorKind kind) {
    return switch (kind) {
      case BAD_REQUEST,
          METHOD_NOT_ALLOWED,
          UNSUPPORTED_MEDIA_TYPE,
          PAYLOAD_TOO_LARGE,
          PRECONDITION_FAILED,
          RANGE_NOT_SATISFIABLE ->
          "INVALID_REQUEST";
      case VALIDATION -> "VALIDATION_ERROR";
      case UNAUTHORIZED -> "AUTHENTICATION_REQUIRED";
      case FORBIDDEN -> "INSUFFICIENT_PERMISSIONS";
      case NOT_FOUND -> "RESOURCE_NOT_FOUND";
      case CONFLICT -> "RESOURCE_CONFLICT";
      case RATE_LIMITED -> "RATE_LIMIT_EXCEEDED";
      case BAD_GATEWAY, SERVICE_UNAVAILABLE, GATEWAY_TIMEOUT -> "SERVICE_UNAVAILABLE";
      case INTERNAL -> "INTERNAL_ERROR";
    };
  }

  /** DockSaaS's {@code details} is one string: the thrower's details, else the field errors. */
  private static String detailsOrFields(ApiError e) {
    if (e.details() != null) {
      return e.details();
    }
    return e.fieldErrors().isEmpty() ? null : fieldSummary(e);
  }

  /** Families with a single message string carry field errors inside it. */
  private static String withFields(ApiError e) {
    if (e.fieldErrors().isEmpty() || e.message().contains(fieldSummary(e))) {
      return e.message();
    }
    return e.message() + ": " + fieldSummary(e);
  }

  private static String fieldSummary(ApiError e) {
    return e.fieldErrors().entrySet().stream()
        .map(f -> f.getKey() + " " + String.join(", ", f.getValue()))
        .collect(Collectors.joining("; "));
  }
}
