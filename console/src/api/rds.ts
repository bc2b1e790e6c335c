import type { ApiClient } from './client';
import { ApiError } from './errors';
import { seg } from './service';

/** Seed 000's managed PostgreSQL of one `rdsdatabase` instance (docs/rds.md). */
export interface RdsInfo {
  name: string;
  engine: string;
  version: string;
  status: string;
  sizeBytes: number;
  connections: { current: number; max: number };
  endpoint: { host: string; port: number; database: string; username: string };
  statementTimeoutMs: number;
}

export interface RdsCredentials {
  host: string;
  port: number;
  database: string;
  username: string;
  password: string;
  uri: string;
  jdbcUrl: string;
}

export interface QueryResult {
  columns: { name: string; type: string }[];
  rows: Record<string, unknown>[];
  rowCount: number;
  rowsAffected: number;
  truncated: boolean;
  truncatedBy?: 'rows' | 'bytes';
  executionTimeMs: number;
}

export interface Backup {
  backupId: string;
  status: 'creating' | 'available' | 'failed' | string;
  sizeBytes?: number | null;
  retentionDays: number;
  createdAt: string;
  completedAt?: string | null;
  expiresAt?: string | null;
  error?: string | null;
}

export const rdsInfo = (api: ApiClient, base: string) => api.json<RdsInfo>('GET', `${base}/info`);

/** The password too: asked for only when the user wants to see it. */
export const rdsCredentials = (api: ApiClient, base: string) => api.json<RdsCredentials>('GET', `${base}/credentials`);

export const rotateCredentials = (api: ApiClient, base: string) =>
  api.json<RdsCredentials>('POST', `${base}/credentials/rotate`);

/** One statement, `?` parameters in order, in a transaction of its own. */
export const runSql = (
  api: ApiClient,
  base: string,
  query: string,
  parameters: unknown[],
  options: { readOnly: boolean; maxRows: number },
) => api.json<QueryResult>('POST', `${base}/query`, { query, parameters, ...options });

export async function listBackups(api: ApiClient, base: string): Promise<Backup[]> {
  return (await api.json<{ backups: Backup[] }>('GET', `${base}/backups`)).backups;
}

export const createBackup = (api: ApiClient, base: string, retentionDays: number) =>
  api.json<Backup>('POST', `${base}/backups`, { retentionDays });

export interface Restored {
  backupId: string;
  sourceServiceId: string;
  targetServiceId: string;
  status: string;
  durationMs: number;
}

/**
 * Restores a backup: into the same instance, or into `targetServiceId` (another relational
 * database instance of the tenant). The target's current data is replaced by the backup's.
 */
export const restoreBackup = (api: ApiClient, base: string, backupId: string, targetServiceId?: string) =>
  api.json<Restored>('POST', `${base}/backups/${seg(backupId)}/restore`, targetServiceId ? { targetServiceId } : {});

/**
 * Waits until a new instance's database answers: `/info` is 503 while it is provisioned. Gives up
 * (with the last failure) after `timeoutMs`.
 */
export async function untilAvailable(
  api: ApiClient,
  base: string,
  { timeoutMs = 120_000, everyMs = 1_000, sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms)) } = {},
): Promise<RdsInfo> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await rdsInfo(api, base);
    } catch (failure) {
      const provisioning = failure instanceof ApiError && (failure.status === 503 || failure.status === 404);
      if (!provisioning || Date.now() >= until) {
        throw failure;
      }
    }
    await sleep(everyMs);
  }
}

/** The parameters a person typed: empty for none, else a JSON array. */
export function parseParameters(text: string): unknown[] {
  if (!text.trim()) {
    return [];
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error('The parameters are not valid JSON: write an array, e.g. [true, 10].');
  }
  if (!Array.isArray(parsed)) {
    throw new Error('The parameters must be a JSON array, e.g. [true, 10].');
  }
  return parsed;
}

/** A result cell as text: JSON values (objects, arrays) as JSON, null as NULL. */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) {
    return 'NULL';
  }
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** The database's statistics now (`pg_stat_database`, `pg_stat_activity`); counters are cumulative. */
export interface RdsMetrics {
  connections: number;
  active_connections: number;
  idle_connections: number;
  max_connections: number;
  xact_commit: number;
  xact_rollback: number;
  cache_hit_ratio: number;
}

export const rdsMetrics = (api: ApiClient, base: string) => api.json<RdsMetrics>('GET', `${base}/metrics`);
