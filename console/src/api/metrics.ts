import type { ApiClient } from './client';

/** One minute of an instance's traffic, as the gateway measured it (docs/identity.md). */
export interface TrafficMinute {
  minute: string;
  requests: number;
  clientErrors: number;
  serverErrors: number;
  /** Time to the response's first byte at the gateway, ms; null in a minute without requests. */
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
}

export interface InstanceTraffic {
  instanceId: string;
  periodSeconds: number;
  /** Oldest first, every minute of the range (zeros where there were no requests), now last. */
  points: TrafficMinute[];
}

/** `GET /api/metrics/instances/{id}?minutes=N`: served by the gateway, which counts the requests. */
export function getInstanceTraffic(api: ApiClient, instanceId: string, minutes: number) {
  return api.json<InstanceTraffic>('GET', `/api/metrics/instances/${encodeURIComponent(instanceId)}?minutes=${minutes}`);
}
