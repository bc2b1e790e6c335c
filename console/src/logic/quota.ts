import type { Usage } from '../api/identity';
import { formatBytes } from './format';

const LABELS: Record<string, string> = {
  instances: 'Service instances',
  api_keys: 'API keys',
  access_keys: 'Access key pairs',
  buckets: 'Buckets',
  stored_bytes: 'Stored data',
  max_object_bytes: 'Largest upload',
};

export interface QuotaRow {
  name: string;
  label: string;
  text: string;
  percent: number;
}

/** One row per quota that has a count of use: "2 of 5", bytes in binary units. */
export function quotaRows(usage: Usage): QuotaRow[] {
  return Object.entries(usage.quotas)
    .filter(([name]) => usage.used?.[name] !== undefined)
    .map(([name, limit]) => {
      const used = usage.used[name];
      const bytes = name.endsWith('_bytes');
      const show = (n: number) => (bytes ? formatBytes(n) : String(n));
      return {
        name,
        label: LABELS[name] ?? name,
        text: `${show(used)} of ${show(limit)}`,
        percent: limit > 0 ? Math.min(100, Math.round((used / limit) * 100)) : 100,
      };
    });
}
