import type { AuditEntry, AuditPage } from '../api/tenant';

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

/** auth-service's audited actions and resource types (AuditAction, AuditLog's constants). */
export const AUDIT_ACTIONS = ['CREATE', 'UPDATE', 'DELETE', 'LOGIN', 'LOGOUT', 'TOKEN_REFRESH', 'TOKEN_ISSUE', 'REVOKE', 'ROTATE', 'ACT_AS'];
export const AUDIT_RESOURCES = ['USER', 'TENANT', 'ORGANIZATION', 'API_KEY', 'S3_CREDENTIAL', 'SERVICE_INSTANCE', 'SESSION', 'SIGNING_KEY'];

export const AUDIT_PAGE_SIZES = ['50', '100', '200', '500'];

/**
 * The query of one page: the filters the service applies (empty ones left out), the page size,
 * and the cursor of the page before (none for the first).
 */
export function auditQuery(filter: AuditFilter, limit: number, cursor: string | null = null): URLSearchParams {
  const query = new URLSearchParams({ limit: String(limit) });
  const add = (name: string, value: string | null | undefined) => {
    const trimmed = value?.trim();
    if (trimmed) {
      query.set(name, trimmed);
    }
  };
  add('action', filter.action);
  add('resource_type', filter.resourceType);
  add('user', filter.user);
  add('q', filter.text);
  add('from', filter.from);
  add('to', filter.to);
  add('cursor', cursor);
  return query;
}

/** The entries shown so far and where the next page starts (null: all are shown). */
export interface AuditPages {
  entries: AuditEntry[];
  next: string | null;
}

/**
 * Adds the page that followed `shown`. Keyset paging repeats nothing, but an entry already shown
 * is skipped all the same, so a double click on "Load more" cannot list one twice.
 */
export function appendPage(shown: AuditPages, page: AuditPage): AuditPages {
  const seen = new Set(shown.entries.map((e) => String(e.id)));
  return { entries: [...shown.entries, ...page.results.filter((e) => !seen.has(String(e.id)))], next: page.next_cursor };
}

export const firstPage = (page: AuditPage): AuditPages => appendPage({ entries: [], next: null }, page);
