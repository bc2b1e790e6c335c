package dev.cumulus.function.functions.domain;

import dev.cumulus.function.common.domain.FunctionErrors;
import java.util.Map;

/**
 * The configurable part of a function, checked against Lambda's limits. Update requests carry only
 * what changes ({@link #merge}).
 */
public record FunctionSettings(
    String runtime,
    String handler,
    String role,
    String description,
    Integer timeoutSeconds,
    Integer memoryMb,
    Map<String, String> environment,
    Boolean networkAllowed,
    Integer reservedConcurrency) {

  public static final int DEFAULT_TIMEOUT = 3;
  public static final int DEFAULT_MEMORY = 128;
  public static final int MAX_TIMEOUT = 900;
  public static final int MIN_MEMORY = 128;
  public static final int MAX_MEMORY = 10_240;
  public static final int MAX_ENVIRONMENT_BYTES = 4096;

  /** The settings of a new function, with Lambda's defaults for what is missing. */
  public FunctionSettings withDefaults() {
    return new FunctionSettings(
        runtime,
        handler,
        role,
        description == null ? "" : description,
        timeoutSeconds == null ? DEFAULT_TIMEOUT : timeoutSeconds,
        memoryMb == null ? DEFAULT_MEMORY : memoryMb,
        environment == null ? Map.of() : environment,
        networkAllowed != null && networkAllowed,
        reservedConcurrency);
  }

  /** These settings over {@code base}: what is null here keeps the base's value. */
  public FunctionSettings merge(FunctionSettings base) {
    return new FunctionSettings(
        runtime != null ? runtime : base.runtime,
        handler != null ? handler : base.handler,
        role != null ? role : base.role,
        description != null ? description : base.description,
        timeoutSeconds != null ? timeoutSeconds : base.timeoutSeconds,
        memoryMb != null ? memoryMb : base.memoryMb,
        environment != null ? environment : base.environment,
        networkAllowed != null ? networkAllowed : base.networkAllowed,
        reservedConcurrency != null ? reservedConcurrency : base.reservedConcurrency);
  }

  /** Checks complete settings (after defaults or merge). */
  public FunctionSettings check() {
    if (handler == null || handler.isBlank() || handler.length() > 128) {
      throw FunctionErrors.invalidParameter(
          "Value at 'handler' failed to satisfy constraint: Member must have length between 1"
              + " and 128");
    }
    if (timeoutSeconds < 1 || timeoutSeconds > MAX_TIMEOUT) {
      throw FunctionErrors.invalidParameter(
          "Value "
              + timeoutSeconds
              + " at 'timeout' failed to satisfy constraint: Member must"
              + " have value between 1 and "
              + MAX_TIMEOUT);
    }
    if (memoryMb < MIN_MEMORY || memoryMb > MAX_MEMORY) {
      throw FunctionErrors.invalidParameter(
          "Value "
              + memoryMb
              + " at 'memorySize' failed to satisfy constraint: Member must have"
              + " value between "
              + MIN_MEMORY
              + " and "
              + MAX_MEMORY);
    }
    if (reservedConcurrency != null && reservedConcurrency < 0) {
      throw FunctionErrors.invalidParameter("reservedConcurrentExecutions must be 0 or more");
    }
    int environmentBytes = 0;
    for (var entry : environment.entrySet()) {
      if (!entry.getKey().matches("[a-zA-Z][a-zA-Z0-9_]*")) {
        throw FunctionErrors.invalidParameter(
            "Environment variable name " + entry.getKey() + " is not valid");
      }
      if (entry.getValue() == null) {
        throw FunctionErrors.invalidParameter(
            "Environment variable " + entry.getKey() + " has no value");
      }
      environmentBytes += entry.getKey().length() + entry.getValue().length();
    }
    if (environmentBytes > MAX_ENVIRONMENT_BYTES) {
      throw FunctionErrors.invalidParameter(
          "Lambda was unable to configure your environment variables because the environment"
              + " variables you have provided exceeded the 4KB limit.");
    }
    return this;
  }
}
