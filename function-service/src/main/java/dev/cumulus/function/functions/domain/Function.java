package dev.cumulus.function.functions.domain;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * A function version: {@code $LATEST} (changing) or a published number (frozen).
 *
 * @param runtime the runtime as requested (e.g. {@code python3.9})
 * @param effectiveRuntime the configured runtime that runs it (e.g. {@code python3.11})
 * @param revision changes with every change of code or configuration
 */
public record Function(
    String serviceId,
    String tenantId,
    String name,
    String version,
    UUID revision,
    String runtime,
    String effectiveRuntime,
    String handler,
    String role,
    String description,
    int timeoutSeconds,
    int memoryMb,
    Map<String, String> environment,
    boolean networkAllowed,
    Integer reservedConcurrency,
    String codeSha256,
    long codeSize,
    Instant createdAt,
    Instant lastModified) {

  public static final String LATEST = "$LATEST";

  /** {@code arn:aws:lambda:<region>:<serviceId>:function:<name>[:<version>]}. */
  public String arn(String region) {
    return FunctionNames.arn(region, serviceId, name)
        + (LATEST.equals(version) ? "" : ":" + version);
  }
}
