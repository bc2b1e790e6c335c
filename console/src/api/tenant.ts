import type { ApiClient } from './client';
import { seg } from './service';

/** auth-service's seed-003 tenant calls: users, organizations, the audit log (docs/identity.md). */
interface Envelope<T> {
  status: string;
  message?: string;
  data: T;
}

const results = async <T>(answer: Promise<Envelope<{ results: T[] }>>) => (await answer).data.results;

export interface TenantUser {
  id: number;
  username: string;
  email: string;
  first_name?: string | null;
  last_name?: string | null;
  role: string;
  is_active: boolean;
  last_login?: string | null;
  date_joined?: string;
}

export const ROLES = ['admin', 'operator', 'viewer', 'user'];

export const listUsers = (api: ApiClient) => results(api.json<Envelope<{ results: TenantUser[] }>>('GET', '/api/tenants/users'));

export interface NewUser {
  username: string;
  email: string;
  password: string;
  role: string;
}

export const createUser = (api: ApiClient, user: NewUser) => api.json<Envelope<TenantUser>>('POST', '/api/tenants/users', user);

/** Role, or active; a changed role or a deactivation ends the user's tokens at once. */
export const updateUser = (api: ApiClient, id: number, change: { role?: string; is_active?: boolean }) =>
  api.json<Envelope<TenantUser>>('PUT', `/api/tenants/users/${id}`, change);

export const deleteUser = (api: ApiClient, id: number) => api.json<unknown>('DELETE', `/api/tenants/users/${id}`);

export interface Organization {
  id: string;
  name: string;
  description?: string | null;
  created_at: string;
  created_by?: { id: number | string | null; username: string | null } | null;
}

export const listOrganizations = (api: ApiClient) =>
  results(api.json<Envelope<{ results: Organization[] }>>('GET', '/api/tenants/organizations'));

export const createOrganization = (api: ApiClient, name: string, description: string) =>
  api.json<Envelope<Organization>>('POST', '/api/tenants/organizations', { name, description });

export const deleteOrganization = (api: ApiClient, id: string) =>
  api.json<unknown>('DELETE', `/api/tenants/organizations/${seg(id)}`);

export interface AuditEntry {
  id: number | string;
  user: { id: number | string | null; username: string | null };
  action: string;
  resource_type: string;
  resource_id?: string | null;
  changes?: unknown;
  timestamp: string;
  ip_address?: string | null;
}

/** One page of the audit log, newest first; `next_cursor` fetches the following one (null: the last). */
export interface AuditPage {
  results: AuditEntry[];
  next_cursor: string | null;
}

/**
 * A page of the audit log: `query` carries the limit, the filters and the previous page's cursor
 * (logic/audit.ts builds it); the service filters and pages, so every entry can be reached.
 */
export const listAuditPage = async (api: ApiClient, query: URLSearchParams): Promise<AuditPage> => {
  const page = (await api.json<Envelope<AuditPage>>('GET', `/api/tenants/audit-logs?${query}`)).data;
  return { results: page.results ?? [], next_cursor: page.next_cursor ?? null };
};

/** What an administrator may change of a user (seed 003 PUT; absent fields stay as they are). */
export interface UserChange {
  email?: string;
  first_name?: string;
  last_name?: string;
  role?: string;
  permissions?: string[];
  is_active?: boolean;
}

export const changeUser = (api: ApiClient, id: number, change: UserChange) =>
  api.json<Envelope<TenantUser>>('PUT', `/api/tenants/users/${id}`, change);

interface AutoUpdatePage {
  data: { items: { id: number; permissions?: string[] }[]; pagination: { has_next: boolean } };
}

/**
 * A user's permissions: seed 003's user has none, so they are read from seed 002's user list
 * (`GET /api/users`, administrators only), a page of 100 at a time until the user is found.
 */
export async function userPermissions(api: ApiClient, id: number): Promise<string[] | null> {
  for (let page = 1; ; page++) {
    const answer = (await api.json<AutoUpdatePage>('GET', `/api/users?page=${page}&limit=100`)).data;
    const found = answer.items.find((u) => u.id === id);
    if (found) {
      return found.permissions ?? [];
    }
    if (!answer.pagination.has_next) {
      return null;
    }
  }
}
