import type { ApiClient } from './client';
import { readEvents } from '../logic/sse';
import { seg } from './service';

/** updater-service's containers and their updates, seed 002's shapes (docs/updater.md). */
export interface Container {
  id: number;
  name: string;
  image: string;
  image_digest?: string | null;
  status: string;
  update_available?: boolean;
  latest_version?: string | null;
  update_policy?: { policy?: string; strategy?: string; schedule?: string | null } | null;
  updated_at?: string;
}

export interface UpdateLogLine {
  timestamp: string;
  level: string;
  message: string;
}

export interface Update {
  id: string;
  container_id: number;
  container_name: string;
  from_image?: string | null;
  to_image?: string | null;
  from_digest?: string | null;
  to_digest?: string | null;
  strategy: string;
  status: string;
  trigger?: string | null;
  scheduled_at?: string | null;
  started_at?: string | null;
  completed_at?: string | null;
  duration?: string | null;
  success?: boolean | null;
  rollback?: boolean;
  logs?: UpdateLogLine[] | null;
}

/** The statuses `GET /api/updates?status=` accepts. */
export const UPDATE_STATUSES = ['pending', 'awaiting_approval', 'in_progress', 'completed', 'failed', 'rolled_back', 'cancelled'];

interface Envelope<T> {
  success: boolean;
  message?: string;
  data: T;
}

interface Page<T> {
  items: T[];
  pagination: { page: number; limit: number; total: number; has_next: boolean };
}

const data = async <T>(answer: Promise<Envelope<T>>) => (await answer).data;

export const listContainers = (api: ApiClient) =>
  data(api.json<Envelope<Page<Container>>>('GET', '/api/containers?limit=100&sort_by=name&sort_order=asc'));

export interface UpdateFilter {
  containerId?: number | null;
  status?: string | null;
}

/** The newest 50 updates, optionally of one container or in one status. */
export function listUpdates(api: ApiClient, filter: UpdateFilter = {}) {
  const query = new URLSearchParams({ limit: '50' });
  if (filter.containerId != null) {
    query.set('container_id', String(filter.containerId));
  }
  if (filter.status) {
    query.set('status', filter.status);
  }
  return data(api.json<Envelope<Page<Update>>>('GET', `/api/updates?${query}`));
}

export const containerAction = (api: ApiClient, id: number, action: 'start' | 'stop' | 'restart') =>
  data(api.json<Envelope<{ status: string }>>('POST', `/api/containers/${id}/${action}`, {}));

/** Pull the container's tag again and update it now, health-gated; 202 with the update's id. */
export const updateNow = (api: ApiClient, id: number) =>
  data(api.json<Envelope<{ update_id: string }>>('POST', `/api/containers/${id}/update`, { schedule: 'immediate' }));

/** Back to the digest that update replaced: a new update of its own. */
export const rollbackUpdate = (api: ApiClient, updateId: string) =>
  data(api.json<Envelope<Update>>('POST', `/api/updates/${seg(updateId)}/rollback`, {}));

export const approveUpdate = (api: ApiClient, updateId: string) =>
  data(api.json<Envelope<Update>>('POST', `/api/updates/${seg(updateId)}/approve`, {}));

export const cancelUpdate = (api: ApiClient, updateId: string) =>
  data(api.json<Envelope<Update>>('POST', `/api/updates/${seg(updateId)}/cancel`, {}));

/** The events the containers page listens to on `/api/ws`. */
export const LIVE_EVENTS = [
  'container_status_changed',
  'container_update_started',
  'container_update_completed',
  'container_update_rolled_back',
  'container_update_awaiting_approval',
];

export interface LiveEvent {
  type: string;
  timestamp?: string;
  data?: { container_id?: number; status?: string; success?: boolean; update_id?: string; [key: string]: unknown };
}

/** A status change applied to the list; anything else leaves it as it is. */
export function applyEvent(containers: Container[], event: LiveEvent): Container[] {
  const id = event.data?.container_id;
  const status = event.data?.status;
  if (event.type !== 'container_status_changed' || id == null || typeof status !== 'string') {
    return containers;
  }
  return containers.map((c) => (c.id === id ? { ...c, status } : c));
}

/** Whether an event changes the update history (so the page reads it again). */
export const touchesHistory = (event: LiveEvent) => event.type.startsWith('container_update_');

/** An update can be rolled back once it has put a new digest in place. */
export const canRollBack = (u: Update) => u.status === 'completed' && u.success !== false && !!u.from_digest;

/** A container as `GET /api/containers/{id}` has it: the list's fields and its settings. */
export interface ContainerDetails extends Container {
  config?: {
    ports?: { host?: number | null; container?: number | null; protocol?: string | null }[];
    environment?: Record<string, string>;
    labels?: Record<string, string>;
    restart_policy?: string | null;
    cpu_limit?: string | null;
    memory_limit?: string | null;
  };
  update_policy?: { policy?: string; strategy?: string; schedule?: string | null; rollback_on_failure?: boolean | null } | null;
}

export const getContainer = (api: ApiClient, id: number) => data(api.json<Envelope<ContainerDetails>>('GET', `/api/containers/${id}`));

/** Seed 002's create body (logic/containers.ts builds it from the form). */
export interface NewContainer {
  name: string;
  image: string;
  config: Record<string, unknown>;
  update_policy: Record<string, unknown>;
  health_check?: Record<string, unknown>;
  start_immediately: boolean;
}

/** Pulls the image, creates and (unless told not to) starts the container: 201. */
export const createContainer = (api: ApiClient, container: NewContainer) =>
  data(api.json<Envelope<{ id: number; name: string; status: string }>>('POST', '/api/containers', container));

/** Merges the `config` fields sent and the update policy; they apply when the container is next recreated. */
export const changeContainer = (api: ApiClient, id: number, change: { config?: Record<string, unknown>; update_policy?: Record<string, unknown> }) =>
  data(api.json<Envelope<{ id: number }>>('PUT', `/api/containers/${id}`, change));

/** Removes it from the engine and the list. */
export const deleteContainer = (api: ApiClient, id: number) => api.json<unknown>('DELETE', `/api/containers/${id}`);

export interface LogEntry {
  timestamp?: string | null;
  level?: string;
  message: string;
  source?: string;
}

/** The container's last `lines` log lines. */
export const recentLogs = async (api: ApiClient, id: number, lines: number) =>
  (await data(api.json<Envelope<{ logs: LogEntry[] }>>('GET', `/api/containers/${id}/logs?lines=${lines}&timestamps=true`))).logs;

/**
 * Follows the container's log as updater-service streams it (Server-Sent Events, one `log` event
 * a line: the last `lines`, then each new one) until `signal` aborts or the stream ends. Read with
 * fetch, so the token stays in a header (an EventSource would need it in the address).
 */
export async function followLogs(api: ApiClient, id: number, lines: number, onLine: (line: LogEntry) => void, signal: AbortSignal) {
  const response = await api.stream(`/api/containers/${id}/logs?follow=true&lines=${lines}&timestamps=true`, signal);
  if (!response.body) {
    return;
  }
  await readEvents(response.body, (event) => {
    if (event.event === 'log') {
      onLine(JSON.parse(event.data) as LogEntry);
    }
  });
}

/** A tenant's login to a private registry; the password is never sent back. */
export interface RegistryLogin {
  registry: string;
  username: string;
  created_at?: string;
  updated_at?: string;
}

export const listRegistryLogins = async (api: ApiClient) =>
  (await data(api.json<Envelope<{ items: RegistryLogin[] }>>('GET', '/api/images/registries'))).items;

/** Creates or replaces the tenant's login for `registry` (`host[:port]`, `docker.io` for Docker Hub). */
export const saveRegistryLogin = (api: ApiClient, registry: string, username: string, password: string) =>
  data(api.json<Envelope<RegistryLogin>>('PUT', `/api/images/registries/${seg(registry)}`, { username, password }));

export const deleteRegistryLogin = (api: ApiClient, registry: string) => api.json<unknown>('DELETE', `/api/images/registries/${seg(registry)}`);
