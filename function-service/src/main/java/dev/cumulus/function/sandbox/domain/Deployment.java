package dev.cumulus.function.sandbox.domain;

import java.time.Duration;
import java.util.Map;

/**
 * What a runtime process runs: one revision of one function version. Processes are pooled by {@link
 * #revision}: any change of code or configuration makes a new revision, so a warm process never
 * serves stale code.
 *
 * @param revision identifies the code and configuration
 * @param runtime the runtime's configured name (after alias resolution)
 * @param codeDigest SHA-256 of the code zip (hex), the directory it is unpacked into
 * @param reservedConcurrency at most this many invocations at once; null: the tenant's limit
 */
public record Deployment(
    String revision,
    String tenantId,
    String serviceId,
    String functionName,
    String version,
    String functionArn,
    String runtime,
    String handler,
    String codeDigest,
    int memoryMb,
    Duration timeout,
    Map<String, String> environment,
    boolean networkAllowed,
    Integer reservedConcurrency) {}
