package dev.cumulus.function.functions.domain;

import dev.cumulus.function.sandbox.domain.InvocationOutcome;
import java.util.Locale;

/** The log of an invocation as Lambda writes it: START, the function's output, END, REPORT. */
public final class InvocationReport {

  private InvocationReport() {}

  /** The last {@code maxChars} characters of the invocation's log. */
  public static String tail(Function f, InvocationOutcome o, int maxChars) {
    StringBuilder log = new StringBuilder();
    log.append("START RequestId: ")
        .append(o.requestId())
        .append(" Version: ")
        .append(f.version())
        .append('\n')
        .append(o.logs());
    if (!o.logs().isEmpty() && !o.logs().endsWith("\n")) {
      log.append('\n');
    }
    if (o.failed()) {
      log.append(o.errorType()).append(": ").append(o.errorMessage()).append('\n');
    }
    log.append("END RequestId: ").append(o.requestId()).append('\n');
    log.append(
        String.format(
            Locale.ROOT,
            "REPORT RequestId: %s\tDuration: %.2f ms\tBilled Duration: %d ms\tMemory Size: %d MB"
                + "\tMax Memory Used: %d MB",
            o.requestId(),
            o.durationMs(),
            o.billedDurationMs(),
            f.memoryMb(),
            o.maxMemoryUsedMb()));
    if (o.coldStart()) {
      log.append(String.format(Locale.ROOT, "\tInit Duration: %.2f ms", o.initDurationMs()));
    }
    log.append('\n');
    return log.length() <= maxChars ? log.toString() : log.substring(log.length() - maxChars);
  }
}
