import { describe, expect, it } from 'vitest';
import type { TrafficMinute } from '../api/metrics';
import { describeTraffic, summarize, trafficSamples } from './traffic';

const quiet = (minute: string): TrafficMinute => ({ minute, requests: 0, clientErrors: 0, serverErrors: 0, p50Ms: null, p95Ms: null, p99Ms: null });
const points: TrafficMinute[] = [
  quiet('2026-12-07T10:00:00Z'),
  { minute: '2026-12-07T10:01:00Z', requests: 10, clientErrors: 1, serverErrors: 1, p50Ms: 3.2, p95Ms: 40.6, p99Ms: 90 },
  { minute: '2026-12-07T10:02:00Z', requests: 2, clientErrors: 0, serverErrors: 0, p50Ms: 2, p95Ms: 4, p99Ms: 4.9 },
];

describe('instance traffic', () => {
  it('adds up the minutes and keeps the slowest p95', () => {
    expect(summarize(points)).toEqual({ requests: 12, clientErrors: 1, serverErrors: 1, errorRate: 2 / 12, worstP95Ms: 40.6 });
    expect(summarize([quiet('x')])).toEqual({ requests: 0, clientErrors: 0, serverErrors: 0, errorRate: 0, worstP95Ms: null });
  });

  it('charts quiet minutes as zeros and latencies in whole milliseconds', () => {
    const samples = trafficSamples(points);
    expect(samples.requests).toEqual([[0], [10], [2]]);
    expect(samples.errors).toEqual([[0, 0], [1, 1], [0, 0]]);
    expect(samples.latency).toEqual([[0, 0, 0], [3, 41, 90], [2, 4, 5]]);
  });

  it('says it in words', () => {
    expect(describeTraffic(summarize(points))).toBe('Last hour: 12 requests, 2 errors (16.7 %: 1 4xx, 1 5xx), p95 at most 41 ms.');
    expect(describeTraffic(summarize([]))).toBe('No requests in the last hour.');
  });
});
