import type { AuditEntry } from '../api/tenant';

/** What the audit page narrows the entries to; empty fields match everything. */
export interface AuditFilter {
  action?: string | null;
  resourceType?: string | null;
  /** Part of the user's name, any case. */
  user?: string;
  /** Part of the resource id, the IP address or the recorded changes, any case. */
  text?: string;
  /** `YYYY-MM-DD`, inclusive, in UTC. */
  from?: string;
  to?: string;
}

const contains = (value: unknown, part: string) => String(value ?? '').toLowerCase().includes(part.toLowerCase());

export function filterAudit(entries: AuditEntry[], filter: AuditFilter): AuditEntry[] {
  const user = filter.user?.trim();
  const text = filter.text?.trim();
  return entries.filter((e) => {
    const day = e.timestamp.slice(0, 10);
    return (
      (!filter.action || e.action === filter.action) &&
      (!filter.resourceType || e.resource_type === filter.resourceType) &&
      (!user || contains(e.user?.username, user)) &&
      (!text || [e.resource_id, e.ip_address, JSON.stringify(e.changes ?? '')].some((v) => contains(v, text))) &&
      (!filter.from || day >= filter.from) &&
      (!filter.to || day <= filter.to)
    );
  });
}

/** The distinct values of a field, sorted, for a filter's choices. */
export const distinct = (entries: AuditEntry[], pick: (e: AuditEntry) => string | null | undefined) =>
  [...new Set(entries.map(pick).filter((v): v is string => !!v))].sort();
