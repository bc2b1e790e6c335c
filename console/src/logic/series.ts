/** Samples of a live chart: each sample one value per series, the oldest dropped past `keep`. */
export function pushSample(samples: number[][], sample: number[], keep: number): number[][] {
  const next = [...samples, sample];
  return next.length > keep ? next.slice(next.length - keep) : next;
}

/** The top of the chart: the largest value, rounded up to 1, 2 or 5 times a power of ten. */
export function niceMax(samples: number[][]): number {
  const max = Math.max(0, ...samples.flat());
  if (max <= 1) {
    return 1;
  }
  const power = 10 ** Math.floor(Math.log10(max));
  return [1, 2, 5, 10].map((m) => m * power).find((top) => top >= max) ?? 10 * power;
}

/** SVG polyline points of one series in a width × height box, the newest sample at the right. */
export function chartPoints(values: number[], width: number, height: number, max: number, keep: number): string {
  const step = keep > 1 ? width / (keep - 1) : 0;
  const start = width - step * (values.length - 1);
  return values
    .map((v, i) => `${(start + i * step).toFixed(1)},${(height - (Math.min(v, max) / max) * height).toFixed(1)}`)
    .join(' ');
}

/** A cumulative counter's samples as the increase between one reading and the next (a restart's drop as 0). */
export function deltas(samples: number[][]): number[][] {
  return samples.slice(1).map((sample, i) => sample.map((v, j) => Math.max(0, v - (samples[i][j] ?? 0))));
}
