package dev.cumulus.platform.error;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

/**
 * The API families Cumulus serves (one per seed in shared/seeds, plus the S3 wire protocol), each
 * with the paths it owns and the exact error envelope its documentation shows. Adding a family
 * means adding a constant here.
 */
public enum ApiFamily {

  /** Seed 000: {@code {"error":{"code","message","details"},"requestId"}}. */
  DOCKSAAS(
      List.of(
          "/api/s3storage/**",
          "/api/rdsdatabase/**",
          "/api/nosqldatabase/**",
          "/api/queue/**",
          "/api/function/**",
          "/api/kafka/**",
          "/api/services",
          "/api/services/**",
          // Cumulus' own control plane beyond the seed: tenants, plans, keys.
          "/api/admin/**",
          "/api/api-keys",
          "/api/api-keys/**")) {
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
  EVENTFLOW(List.of("/auth/token", "/v1/**", "/healthz", "/readyz", "/metrics")) {
    @Override
    Map<String, Object> body(ApiError e, HttpStatus status) {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("error", status.getReasonPhrase());
      body.put("message", e.message());
      return body;
    }
  },

  /** Seed 002: {@code {success:false,message,error:{code,details,fields},meta:{request_id}}}. */
  AUTO_UPDATE(
      List.of(
          "/api/auth/**",
          "/api/containers/**",
          "/api/images/**",
          "/api/updates/**",
          "/api/users/**",
          "/api/notifications/**",
          "/api/ws",
          "/api/system/**",
          "/api/health")) {
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
  MULTI_TENANT(List.of("/api/tenants/**", "/api/integrations/**", "/api/mock/**")) {
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
  CLOUD_INTEGRATION(
      List.of("/api/orders/**", "/api/payments/**", "/api/monitoring/**", "/webhooks/**")) {
    @Override
    Map<String, Object> body(ApiError e, HttpStatus status) {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("success", false);
      body.put("error", Map.of("message", withFields(e)));
      return body;
    }
  },

  /**
   * The S3 wire protocol (storage-service, through the gateway): AWS's XML {@code
   * <Error><Code/><Message/><RequestId/></Error>}, so S3 clients read errors the gateway raises
   * itself (rate limit, service unavailable) as they read the storage service's.
   */
  S3(List.of("/s3", "/s3/**")) {
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

  private final List<String> defaultPaths;

  ApiFamily(List<String> defaultPaths) {
    this.defaultPaths = defaultPaths;
  }

  /** The path patterns (Spring {@code PathPattern} syntax) this family's seed documents. */
  public List<String> defaultPaths() {
    return defaultPaths;
  }

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
