package dev.cumulus.function.containers.domain;

import java.math.BigDecimal;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Per-replica limits in Kubernetes' quantity notation, so one request works for either backend:
 * {@code cpu} as cores ({@code "0.5"}) or millicores ({@code "500m"}), {@code memory} in bytes or
 * with a suffix ({@code "128Mi"}, {@code "1Gi"}, {@code "256M"}).
 */
public record Resources(String cpu, String memory) {

  private static final Pattern CPU = Pattern.compile("(\\d+(?:\\.\\d+)?)(m?)");
  private static final Pattern MEMORY = Pattern.compile("(\\d+)(Ki|Mi|Gi|K|M|G)?");
  private static final long MAX_NANO_CPUS = 64_000_000_000L;
  private static final long MIN_MEMORY = 6L * 1024 * 1024;

  /** The CPU limit in billionths of a core, or 0 for none; -1 when {@code cpu} is malformed. */
  public long nanoCpus() {
    if (cpu == null) {
      return 0;
    }
    Matcher m = CPU.matcher(cpu.trim());
    if (!m.matches()) {
      return -1;
    }
    BigDecimal cores = new BigDecimal(m.group(1));
    if (!m.group(2).isEmpty()) {
      cores = cores.movePointLeft(3);
    }
    BigDecimal nanos = cores.movePointRight(9);
    if (nanos.signum() <= 0 || nanos.compareTo(BigDecimal.valueOf(MAX_NANO_CPUS)) > 0) {
      return -1;
    }
    return nanos.longValue();
  }

  /** The memory limit in bytes, or 0 for none; -1 when {@code memory} is malformed or tiny. */
  public long memoryBytes() {
    if (memory == null) {
      return 0;
    }
    Matcher m = MEMORY.matcher(memory.trim());
    if (!m.matches() || m.group(1).length() > 12) {
      return -1;
    }
    long value = Long.parseLong(m.group(1));
    long unit =
        switch (m.group(2) == null ? "" : m.group(2)) {
          case "Ki" -> 1024L;
          case "Mi" -> 1024L * 1024;
          case "Gi" -> 1024L * 1024 * 1024;
          case "K" -> 1000L;
          case "M" -> 1000L * 1000;
          case "G" -> 1000L * 1000 * 1000;
          default -> 1L;
        };
    long bytes = value * unit;
    return bytes < MIN_MEMORY ? -1 : bytes;
  }
}
