package dev.cumulus.gateway.metrics;

/**
 * Fixed latency buckets (milliseconds, upper bounds, the last one open) shared by the recorder and
 * the reader, and percentiles estimated from bucket counts by linear interpolation inside the
 * bucket the rank falls in (as Prometheus' {@code histogram_quantile} does).
 */
final class LatencyHistogram {

  /** Upper bounds in ms; a latency above the last bound lands in the open bucket after it. */
  static final long[] BOUNDS_MS = {
    1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 30000
  };

  static final int BUCKETS = BOUNDS_MS.length + 1;

  private LatencyHistogram() {}

  /** The bucket of a latency in nanoseconds: a short linear scan, no allocation. */
  static int bucketOf(long nanos) {
    long millis = nanos / 1_000_000;
    for (int i = 0; i < BOUNDS_MS.length; i++) {
      if (millis < BOUNDS_MS[i]) {
        return i;
      }
    }
    return BOUNDS_MS.length;
  }

  /** The Redis hash field of bucket {@code i}. */
  static String field(int i) {
    return "b" + i;
  }

  /**
   * The {@code q} quantile (0 < q < 1) in milliseconds, or null without observations. A rank in the
   * open bucket is reported as its lower bound: the histogram knows nothing beyond it.
   */
  static Double quantile(long[] counts, double q) {
    long total = 0;
    for (long c : counts) {
      total += c;
    }
    if (total == 0) {
      return null;
    }
    double rank = q * total;
    long seen = 0;
    for (int i = 0; i < counts.length; i++) {
      if (counts[i] == 0) {
        continue;
      }
      if (seen + counts[i] >= rank) {
        if (i == BOUNDS_MS.length) {
          return (double) BOUNDS_MS[i - 1];
        }
        double lower = i == 0 ? 0 : BOUNDS_MS[i - 1];
        double upper = BOUNDS_MS[i];
        return lower + (upper - lower) * ((rank - seen) / counts[i]);
      }
      seen += counts[i];
    }
    return (double) BOUNDS_MS[BOUNDS_MS.length - 1];
  }
}
