package dev.cumulus.function.sandbox.domain;

import java.util.List;

/**
 * What one invocation of a function produced.
 *
 * @param resultJson the handler's result as JSON (null when it failed)
 * @param errorType the error's type when it failed: the handler's exception type, or one of the
 *     sandbox's ({@link #TIMEOUT}, {@link #OUT_OF_MEMORY}, {@link #EXIT}, {@link #INIT})
 * @param logs what the function printed
 * @param durationMs time in the handler (from request to answer)
 * @param initDurationMs cold start (process start, runtime init, handler import); null when warm
 * @param maxMemoryUsedMb the process's peak resident memory
 */
public record InvocationOutcome(
    String requestId,
    String resultJson,
    String errorType,
    String errorMessage,
    List<String> stackTrace,
    String logs,
    double durationMs,
    Double initDurationMs,
    long maxMemoryUsedMb) {

  public static final String TIMEOUT = "Sandbox.Timedout";
  public static final String OUT_OF_MEMORY = "Runtime.OutOfMemory";
  public static final String EXIT = "Runtime.ExitError";
  public static final String INIT = "Runtime.ImportModuleError";

  public boolean failed() {
    return errorType != null;
  }

  public boolean coldStart() {
    return initDurationMs != null;
  }

  /** Billed like Lambda: whole milliseconds, rounded up, at least one. */
  public long billedDurationMs() {
    return Math.max(1, (long) Math.ceil(durationMs));
  }
}
