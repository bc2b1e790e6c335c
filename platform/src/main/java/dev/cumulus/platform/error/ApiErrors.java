package dev.cumulus.platform.error;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.beans.TypeMismatchException;
import org.springframework.core.codec.DecodingException;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.validation.FieldError;
import org.springframework.web.bind.support.WebExchangeBindException;
import org.springframework.web.server.MethodNotAllowedException;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebInputException;

/** Turns any exception into an {@link ApiError}, without leaking internals to the caller. */
public final class ApiErrors {

  private static final Pattern JSON_FIELD = Pattern.compile("\\[\"([^\"]+)\"]");
  private static final int MAX_DETAIL = 300;

  private ApiErrors() {}

  public static ApiError from(Throwable failure, String method, String path, String requestId) {
    Instant now = Instant.now();
    return switch (failure) {
      case ApiException e ->
          new ApiError(
              e.kind(), e.code(), e.getMessage(), e.details(), e.fieldErrors(), requestId, now);
      case WebExchangeBindException e -> fromBinding(e, requestId, now);
      case ServerWebInputException e -> fromInput(e, requestId, now);
      case MethodNotAllowedException e ->
          simple(
              ErrorKind.METHOD_NOT_ALLOWED,
              "Method " + method + " is not allowed on " + path,
              requestId,
              now);
      case ResponseStatusException e when e.getStatusCode().value() == 404 ->
          simple(ErrorKind.NOT_FOUND, "No resource at " + method + " " + path, requestId, now);
      case ResponseStatusException e ->
          simple(
              ErrorKind.fromStatus(e.getStatusCode().value()),
              // A 415's reason names the handler's body type (bodyType=a.b.Controller$Body).
              e.getReason() != null ? withoutJavaNames(e.getReason()) : reason(e),
              requestId,
              now);
      case DataBufferLimitException e ->
          simple(ErrorKind.PAYLOAD_TOO_LARGE, "Request body is too large", requestId, now);
      // A body read by hand (a multipart form without its closing boundary, say), not through an
      // argument resolver that would have wrapped it in a ServerWebInputException.
      case DecodingException e ->
          simple(
              ErrorKind.BAD_REQUEST,
              "Request body could not be read: "
                  + withoutJavaNames(String.valueOf(e.getMessage()).lines().findFirst().orElse("")),
              requestId,
              now);
      default -> simple(ErrorKind.INTERNAL, "Internal server error", requestId, now);
    };
  }

  /**
   * A decoder's message with the Java behind it removed: a {@code for: <method signature>} tail
   * cut, qualified type names shortened to their simple names (never package or class structure).
   */
  static String withoutJavaNames(String message) {
    int signature = message.indexOf(" for: ");
    String text = signature < 0 ? message : message.substring(0, signature);
    return JAVA_TYPE.matcher(text.replaceAll("`([^`]*)`", "$1")).replaceAll("$1");
  }

  // A qualified name (a.b.C, a.b.C$D): keeps the last simple name.
  private static final Pattern JAVA_TYPE =
      Pattern.compile("(?:[a-z_][a-z0-9_]*\\.)+(?:[A-Z][\\w]*\\$)*([A-Z][\\w]*)");

  private static ApiError simple(ErrorKind kind, String message, String requestId, Instant now) {
    return new ApiError(kind, null, message, null, Map.of(), requestId, now);
  }

  private static String reason(ResponseStatusException e) {
    return e.getStatusCode() instanceof org.springframework.http.HttpStatus s
        ? s.getReasonPhrase()
        : "HTTP " + e.getStatusCode().value();
  }

  private static ApiError fromBinding(WebExchangeBindException e, String requestId, Instant now) {
    Map<String, List<String>> fields = new LinkedHashMap<>();
    for (FieldError fe : e.getFieldErrors()) {
      fields
          .computeIfAbsent(jsonName(e.getTarget(), fe.getField()), k -> new ArrayList<>())
          .add(fe.getDefaultMessage());
    }
    e.getGlobalErrors()
        .forEach(
            ge ->
                fields
                    .computeIfAbsent(ge.getObjectName(), k -> new ArrayList<>())
                    .add(ge.getDefaultMessage()));
    String first =
        fields.entrySet().stream()
            .findFirst()
            .map(f -> f.getKey() + " " + f.getValue().getFirst())
            .orElse("invalid request");
    return new ApiError(
        ErrorKind.VALIDATION, null, "Validation failed: " + first, null, fields, requestId, now);
  }

  /**
   * The name the client used for a bound field: its {@code @JsonProperty} name when it has one
   * (seeds use {@code user_id} where Java says {@code userId}), else the Java name.
   */
  static String jsonName(Object target, String fieldPath) {
    if (target == null) {
      return fieldPath;
    }
    int dot = fieldPath.indexOf('.');
    int bracket = fieldPath.indexOf('[');
    int end = dot < 0 ? bracket : bracket < 0 ? dot : Math.min(dot, bracket);
    String first = end < 0 ? fieldPath : fieldPath.substring(0, end);
    String rest = end < 0 ? "" : fieldPath.substring(end);
    for (Class<?> type = target.getClass(); type != null; type = type.getSuperclass()) {
      try {
        JsonProperty property = type.getDeclaredField(first).getAnnotation(JsonProperty.class);
        return property != null && !property.value().isEmpty()
            ? property.value() + rest
            : fieldPath;
      } catch (NoSuchFieldException notHere) {
        // look in the superclass
      }
    }
    return fieldPath;
  }

  /**
   * Malformed bodies and bad parameters, told apart by the cause chain (a decoder failure means the
   * body). The decoder's message names the offending field (Jackson's reference chain); keep that,
   * drop the source location and class names.
   */
  private static ApiError fromInput(ServerWebInputException e, String requestId, Instant now) {
    Throwable root = e;
    boolean bodyProblem = false;
    TypeMismatchException badParameter = null;
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      root = t;
      bodyProblem |= t instanceof DecodingException;
      if (t instanceof TypeMismatchException mismatch && badParameter == null) {
        badParameter = mismatch;
      }
    }
    if (!bodyProblem && badParameter != null && badParameter.getPropertyName() != null) {
      String name = badParameter.getPropertyName();
      String detail = "cannot convert '" + badParameter.getValue() + "'";
      return new ApiError(
          ErrorKind.BAD_REQUEST,
          null,
          "Invalid value for parameter '" + name + "'",
          detail,
          Map.of(name, List.of(detail)),
          requestId,
          now);
    }
    if (!bodyProblem) {
      String reason = e.getReason() != null ? e.getReason() : "Invalid request";
      return simple(ErrorKind.BAD_REQUEST, reason, requestId, now);
    }
    String raw = root.getMessage() == null ? "" : root.getMessage();
    if (raw.startsWith("No request body")
        || raw.contains("No content to map")
        || raw.contains("end-of-input") && raw.length() < 80) {
      // "No request body for: public Mono<...> Controller.method(...)" (a JSON null) included.
      return simple(ErrorKind.BAD_REQUEST, "Request body is missing or empty", requestId, now);
    }
    String firstLine = withoutJavaNames(raw.lines().findFirst().orElse(""));
    Matcher field = JSON_FIELD.matcher(raw);
    String fieldName = null;
    while (field.find()) {
      fieldName = fieldName == null ? field.group(1) : fieldName + "." + field.group(1);
    }
    String message =
        fieldName != null
            ? "Invalid value for field '" + fieldName + "'"
            : "Malformed JSON request body";
    String detail =
        firstLine.length() > MAX_DETAIL ? firstLine.substring(0, MAX_DETAIL) : firstLine;
    Map<String, List<String>> fields =
        fieldName == null ? Map.of() : Map.of(fieldName, List.of(detail));
    return new ApiError(ErrorKind.BAD_REQUEST, null, message, detail, fields, requestId, now);
  }
}
