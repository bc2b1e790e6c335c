import type { UsageSample } from '../api/identity';
import { formatBytes } from './format';

/** One reading of the tenant's stored bytes (GET /api/usage) and when it was taken (ms). */
export interface Reading {
  at: number;
  bytes: number;
}

/** How many readings a session keeps: two hours at one a minute. */
export const KEEP_READINGS = 120;

/**
 * The readings of stored bytes taken during this session, per tenant, in memory only: the service
 * keeps no history of `stored_bytes` (it answers only the present), so the chart grows from the
 * moment the console signed in. Leaving Home and coming back keeps them; a reload starts again.
 */
export class GrowthLog {
  private readonly byTenant = new Map<string, Reading[]>();

  add(tenant: string, reading: Reading, keep = KEEP_READINGS): Reading[] {
    const next = [...(this.byTenant.get(tenant) ?? []), reading];
    const kept = next.length > keep ? next.slice(next.length - keep) : next;
    this.byTenant.set(tenant, kept);
    return kept;
  }

  readings(tenant: string): Reading[] {
    return this.byTenant.get(tenant) ?? [];
  }

  /** Sign-out: nothing of one user's tenants stays for the next. */
  clear(): void {
    this.byTenant.clear();
  }
}

/** The console's one log (module state: it outlives the pages, not the tab). */
export const storageGrowth = new GrowthLog();

/**
 * Words for the change over the readings: "+1.5 MiB in 12 min", "no change in under a minute", or null
 * before there are two readings.
 */
export function growthText(readings: Reading[]): string | null {
  if (readings.length < 2) {
    return null;
  }
  const first = readings[0];
  const last = readings[readings.length - 1];
  const span = spanText(last.at - first.at);
  const change = last.bytes - first.bytes;
  if (change === 0) {
    return `no change in ${span}`;
  }
  return `${change > 0 ? '+' : '−'}${formatBytes(Math.abs(change))} in ${span}`;
}

/** A time span in words: "under a minute", "12 min", "5 h", "3 d". */
export function spanText(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 1) {
    return 'under a minute';
  }
  if (minutes < 120) {
    return `${minutes} min`;
  }
  const hours = Math.round(minutes / 60);
  return hours < 48 ? `${hours} h` : `${Math.round(hours / 24)} d`;
}

/**
 * The stored hourly samples as readings, oldest first, with the present reading (when there is
 * one, and newer than the last sample) as the last point, so the chart ends at now.
 */
export function historyReadings(samples: UsageSample[], present: Reading | null): Reading[] {
  const readings = samples.map((s) => ({ at: Date.parse(s.hour), bytes: s.stored_bytes }));
  const last = readings[readings.length - 1];
  return present && (!last || present.at > last.at) ? [...readings, present] : readings;
}
