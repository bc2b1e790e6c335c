package dev.cumulus.gateway.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LatencyHistogramTests {

  @Test
  void latenciesFallIntoTheBucketBelowTheirUpperBound() {
    assertThat(LatencyHistogram.bucketOf(500_000)).isZero();
    assertThat(LatencyHistogram.bucketOf(1_000_000)).isEqualTo(1);
    assertThat(LatencyHistogram.bucketOf(7_000_000)).isEqualTo(3);
    assertThat(LatencyHistogram.bucketOf(60_000_000_000L)).isEqualTo(LatencyHistogram.BUCKETS - 1);
  }

  @Test
  void quantilesInterpolateInsideTheirBucket() {
    long[] counts = new long[LatencyHistogram.BUCKETS];
    assertThat(LatencyHistogram.quantile(counts, 0.5)).isNull();
    counts[3] = 100; // 5..10 ms
    assertThat(LatencyHistogram.quantile(counts, 0.5)).isEqualTo(7.5);
    counts[6] = 100; // 50..100 ms
    assertThat(LatencyHistogram.quantile(counts, 0.5)).isEqualTo(10.0);
    assertThat(LatencyHistogram.quantile(counts, 0.99)).isEqualTo(99.0);
    counts[LatencyHistogram.BUCKETS - 1] = 10_000;
    assertThat(LatencyHistogram.quantile(counts, 0.99)).isEqualTo(30_000.0);
  }
}
