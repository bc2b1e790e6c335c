package dev.cumulus.updater.engine.application;

import com.github.dockerjava.api.model.BlkioStatEntry;
import com.github.dockerjava.api.model.Statistics;
import dev.cumulus.updater.engine.domain.EngineStats;
import java.util.List;
import java.util.Locale;

/** Docker's statistics object reduced to the numbers seed 002 shows. */
final class StatsReading {

  private StatsReading() {}

  static EngineStats of(Statistics s) {
    long rx = 0;
    long tx = 0;
    if (s.getNetworks() != null) {
      for (var network : s.getNetworks().values()) {
        rx += orZero(network.getRxBytes());
        tx += orZero(network.getTxBytes());
      }
    }
    List<BlkioStatEntry> io =
        s.getBlkioStats() == null || s.getBlkioStats().getIoServiceBytesRecursive() == null
            ? List.of()
            : s.getBlkioStats().getIoServiceBytesRecursive();
    long read = sum(io, "read");
    long write = sum(io, "write");
    var memory = s.getMemoryStats();
    return new EngineStats(
        cpuPercent(s),
        memory == null ? 0 : orZero(memory.getUsage()),
        memory == null ? 0 : orZero(memory.getLimit()),
        rx,
        tx,
        read,
        write,
        s.getPidsStats() == null ? 0 : orZero(s.getPidsStats().getCurrent()));
  }

  /** Docker's formula: container CPU delta over system CPU delta, times online CPUs. */
  private static double cpuPercent(Statistics s) {
    if (s.getCpuStats() == null
        || s.getPreCpuStats() == null
        || s.getCpuStats().getCpuUsage() == null
        || s.getPreCpuStats().getCpuUsage() == null) {
      return 0;
    }
    long cpu =
        orZero(s.getCpuStats().getCpuUsage().getTotalUsage())
            - orZero(s.getPreCpuStats().getCpuUsage().getTotalUsage());
    long system =
        orZero(s.getCpuStats().getSystemCpuUsage())
            - orZero(s.getPreCpuStats().getSystemCpuUsage());
    long cpus = orZero(s.getCpuStats().getOnlineCpus());
    if (cpu <= 0 || system <= 0) {
      return 0;
    }
    double percent = (double) cpu / system * Math.max(cpus, 1) * 100.0;
    return Math.round(percent * 10) / 10.0;
  }

  private static long sum(List<BlkioStatEntry> entries, String op) {
    return entries.stream()
        .filter(e -> e.getOp() != null && e.getOp().toLowerCase(Locale.ROOT).equals(op))
        .mapToLong(e -> orZero(e.getValue()))
        .sum();
  }

  private static long orZero(Long value) {
    return value == null ? 0 : value;
  }
}
