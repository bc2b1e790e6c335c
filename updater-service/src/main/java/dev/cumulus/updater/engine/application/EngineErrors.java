package dev.cumulus.updater.engine.application;

import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.DockerClientException;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import dev.cumulus.platform.error.ApiException;
import dev.cumulus.platform.error.ErrorKind;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Map;

/**
 * Engine failures in seed 002's terms: code {@code DOCKER_ERROR}, with the status that says whose
 * fault it was (an unknown image or a taken port is the caller's, an unreachable engine is not).
 */
public final class EngineErrors {

  public static final String DOCKER_ERROR = "DOCKER_ERROR";

  private EngineErrors() {}

  public static ApiException of(String action, Throwable failure) {
    if (failure instanceof ApiException api) {
      return api;
    }
    String reason = reason(failure);
    String lower = reason.toLowerCase(Locale.ROOT);
    ErrorKind kind;
    if (lower.contains("address already in use") || lower.contains("port is already allocated")) {
      kind = ErrorKind.CONFLICT;
      reason = "A requested host port is already in use";
    } else if (failure instanceof ConflictException) {
      kind = ErrorKind.CONFLICT;
    } else if (failure instanceof NotFoundException) {
      kind = ErrorKind.NOT_FOUND;
    } else if (failure instanceof DockerException || failure instanceof DockerClientException) {
      kind = ErrorKind.BAD_GATEWAY;
    } else {
      kind = ErrorKind.SERVICE_UNAVAILABLE;
      reason = "The container engine is not reachable";
    }
    return new ApiException(
        kind, "Docker operation failed: " + action, DOCKER_ERROR, reason, Map.of(), failure);
  }

  /** An image that cannot be pulled: the caller named something the registry does not have. */
  public static ApiException imageNotPullable(String image, Throwable failure) {
    return new ApiException(
        ErrorKind.BAD_REQUEST,
        "Image '" + image + "' could not be pulled",
        DOCKER_ERROR,
        reason(failure),
        Map.of("image", java.util.List.of("cannot be pulled: " + reason(failure))),
        failure);
  }

  private static String reason(Throwable failure) {
    Throwable root = failure;
    if (root instanceof UncheckedIOException || root instanceof IOException) {
      return "The container engine is not reachable";
    }
    String message =
        root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    // docker-java prefixes the engine's JSON answer with the HTTP status; keep the engine's words.
    int json = message.indexOf("{\"");
    if (json >= 0) {
      int start = message.indexOf("\"message\":\"", json);
      if (start >= 0) {
        int from = start + "\"message\":\"".length();
        int end = message.indexOf('"', from);
        message = end > from ? message.substring(from, end) : message;
      }
    }
    return message.length() > 300 ? message.substring(0, 300) : message.strip();
  }
}
