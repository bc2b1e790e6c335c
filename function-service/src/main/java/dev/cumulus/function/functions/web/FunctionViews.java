package dev.cumulus.function.functions.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.cumulus.function.functions.domain.EventInvocation;
import dev.cumulus.function.functions.domain.Function;
import dev.cumulus.function.functions.domain.InvocationStats;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/** The JSON shapes of the seed's function API (Lambda's FunctionConfiguration, camelCase). */
final class FunctionViews {

  private FunctionViews() {}

  record Environment(Map<String, String> variables) {}

  /** A function version's configuration; {@code effectiveRuntime} is what runs it here. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Configuration(
      String functionName,
      String functionArn,
      String runtime,
      String effectiveRuntime,
      String runtimeDescription,
      String role,
      String handler,
      long codeSize,
      String codeSha256,
      String description,
      int timeout,
      int memorySize,
      Environment environment,
      boolean allowNetwork,
      Integer reservedConcurrentExecutions,
      String version,
      String state,
      String lastUpdateStatus,
      String packageType,
      Instant createdAt,
      Instant lastModified) {

    static Configuration of(Function f, String region, String runtimeDescription) {
      return new Configuration(
          f.name(),
          f.arn(region),
          f.runtime(),
          f.effectiveRuntime(),
          runtimeDescription,
          f.role(),
          f.handler(),
          f.codeSize(),
          FunctionViews.codeSha256(f),
          f.description(),
          f.timeoutSeconds(),
          f.memoryMb(),
          new Environment(f.environment()),
          f.networkAllowed(),
          f.reservedConcurrency(),
          f.version(),
          "Active",
          "Successful",
          "Zip",
          f.createdAt(),
          f.lastModified());
    }
  }

  /** Lambda's CodeSha256: the digest in base64. */
  static String codeSha256(Function f) {
    return Base64.getEncoder().encodeToString(HexFormat.of().parseHex(f.codeSha256()));
  }

  record FunctionList(List<Configuration> functions, int count) {}

  /** The details: configuration, its versions and aliases, and how many processes are warm. */
  record Details(
      Configuration configuration,
      List<String> versions,
      Map<String, String> aliases,
      int warmInstances) {}

  /** A synchronous invocation's answer. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Invocation(
      String requestId,
      String functionName,
      String executedVersion,
      String invocationType,
      int statusCode,
      Object payload,
      String functionError,
      double durationMs,
      long billedDurationMs,
      Double initDurationMs,
      boolean coldStart,
      int memorySizeMb,
      long maxMemoryUsedMb,
      String logResult) {}

  /** An asynchronous invocation: accepted, then its progress. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Queued(
      String requestId,
      String functionName,
      String invocationType,
      int statusCode,
      String status,
      Integer attempts,
      String errorType,
      String errorMessage,
      Object result,
      Instant createdAt,
      Instant updatedAt) {

    static Queued of(EventInvocation e, Object result) {
      return new Queued(
          e.id().toString(),
          e.functionName(),
          "Event",
          202,
          e.status(),
          e.attempts(),
          e.errorType(),
          e.errorMessage(),
          result,
          e.createdAt(),
          e.updatedAt());
    }
  }

  record DeadLetters(List<Queued> invocations, int count) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Window(
      Instant timestamp,
      long invocations,
      long errors,
      long throttles,
      long coldStarts,
      Double p50DurationMs,
      Double p95DurationMs,
      Double maxDurationMs) {

    static Window of(InvocationStats s) {
      return new Window(
          s.start(),
          s.invocations(),
          s.errors(),
          s.throttles(),
          s.coldStarts(),
          s.p50DurationMs(),
          s.p95DurationMs(),
          s.maxDurationMs());
    }
  }

  record Metrics(
      String functionName,
      Instant startTime,
      Instant endTime,
      long periodSeconds,
      long invocations,
      long errors,
      long throttles,
      long coldStarts,
      Double p50DurationMs,
      Double p95DurationMs,
      Double maxDurationMs,
      List<Window> datapoints) {}

  record Version(String version, String functionArn, String codeSha256, String description) {}

  record Alias(String name, String functionVersion) {}
}
