import type { TrafficMinute } from '../api/metrics';

export interface TrafficSummary {
  requests: number;
  clientErrors: number;
  serverErrors: number;
  /** Share of requests that failed (4xx or 5xx), 0..1; 0 without requests. */
  errorRate: number;
  /** The slowest minute's p95 in ms, null without requests. */
  worstP95Ms: number | null;
}

/** Totals over the minutes shown. */
export function summarize(points: TrafficMinute[]): TrafficSummary {
  const requests = sum(points, (p) => p.requests);
  const clientErrors = sum(points, (p) => p.clientErrors);
  const serverErrors = sum(points, (p) => p.serverErrors);
  const p95s = points.map((p) => p.p95Ms).filter((v): v is number => v != null);
  return {
    requests,
    clientErrors,
    serverErrors,
    errorRate: requests === 0 ? 0 : (clientErrors + serverErrors) / requests,
    worstP95Ms: p95s.length === 0 ? null : Math.max(...p95s),
  };
}

/** Chart samples: requests a minute; 4xx and 5xx a minute; p50, p95, p99 (a quiet minute as 0). */
export function trafficSamples(points: TrafficMinute[]) {
  const ms = (v: number | null) => Math.round(v ?? 0);
  return {
    requests: points.map((p) => [p.requests]),
    errors: points.map((p) => [p.clientErrors, p.serverErrors]),
    latency: points.map((p) => [ms(p.p50Ms), ms(p.p95Ms), ms(p.p99Ms)]),
  };
}

/** "12 requests, 2 errors (16.7 %), p95 at most 41 ms" */
export function describeTraffic(s: TrafficSummary): string {
  if (s.requests === 0) {
    return 'No requests in the last hour.';
  }
  const errors = s.clientErrors + s.serverErrors;
  const rate = `${(s.errorRate * 100).toFixed(1)} %`;
  const p95 = s.worstP95Ms == null ? '' : `, p95 at most ${Math.round(s.worstP95Ms)} ms`;
  return `Last hour: ${s.requests} requests, ${errors} errors (${rate}: ${s.clientErrors} 4xx, ${s.serverErrors} 5xx)${p95}.`;
}

function sum(points: TrafficMinute[], pick: (p: TrafficMinute) => number): number {
  return points.reduce((total, p) => total + pick(p), 0);
}
