import type { ApiClient } from './client';
import { seg } from './service';

/** integration-service's outbound webhooks of the tenant (docs/integration.md). */
export interface Webhook {
  id: string;
  url: string;
  description?: string | null;
  events: string[];
  enabled: boolean;
  disabledReason?: string | null;
  failingSince?: string | null;
  headers?: Record<string, string> | null;
  createdAt: string;
}

export interface CreatedWebhook extends Webhook {
  secret: string;
}

export interface Attempt {
  id: string;
  messageId: string;
  eventType: string;
  attempt: number;
  statusCode?: number | null;
  latencyMs?: number | null;
  responseExcerpt?: string | null;
  error?: string | null;
  createdAt: string;
}

const webhookPath = (id: string) => `/api/webhooks/${seg(id)}`;

export async function listWebhooks(api: ApiClient): Promise<Webhook[]> {
  return (await api.json<{ webhooks: Webhook[] }>('GET', '/api/webhooks')).webhooks;
}

/** The events the user typed, split at commas and spaces; none means every event (`*`). */
export function parseEvents(text: string): string[] {
  const events = text
    .split(/[\s,]+/)
    .map((e) => e.trim())
    .filter(Boolean);
  return events.length ? events : ['*'];
}

export const createWebhook = (api: ApiClient, url: string, events: string[], description: string) =>
  api.json<CreatedWebhook>('POST', '/api/webhooks', { url, events, description, enabled: true });

/** Enabling again also clears the endpoint's failure record. */
export const setWebhookEnabled = (api: ApiClient, id: string, enabled: boolean) =>
  api.json<Webhook>('PATCH', webhookPath(id), { enabled });

export const deleteWebhook = (api: ApiClient, id: string) => api.json<void>('DELETE', webhookPath(id));

/** A new secret; the old one keeps signing alongside for a day. */
export const rotateSecret = (api: ApiClient, id: string) =>
  api.json<{ secret: string }>('POST', `${webhookPath(id)}/rotate-secret`, {});

export async function listAttempts(api: ApiClient, id: string): Promise<Attempt[]> {
  return (await api.json<{ attempts: Attempt[] }>('GET', `${webhookPath(id)}/attempts?limit=50`)).attempts;
}

export const replayMessage = (api: ApiClient, id: string, messageId: string) =>
  api.json<{ replayed: number }>('POST', `${webhookPath(id)}/replay`, { messageId });

/** Changes an endpoint's events and its own request headers (`headers` replaces the whole set). */
export const updateWebhook = (api: ApiClient, id: string, change: { events: string[]; headers: Record<string, string> }) =>
  api.json<Webhook>('PATCH', webhookPath(id), change);

/**
 * Headers as the user typed them, one `Name: value` a line (blank lines skipped); an error in
 * words for a line without a name and a colon.
 */
export function parseHeaders(text: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of text.split('\n')) {
    if (!line.trim()) {
      continue;
    }
    const colon = line.indexOf(':');
    const name = colon > 0 ? line.slice(0, colon).trim() : '';
    if (!name) {
      throw new Error(`“${line.trim()}” is not a header: write Name: value`);
    }
    headers[name] = line.slice(colon + 1).trim();
  }
  return headers;
}

/** The inverse of parseHeaders, for editing. */
export const formatHeaders = (headers: Record<string, string> | null | undefined) =>
  Object.entries(headers ?? {})
    .map(([name, value]) => `${name}: ${value}`)
    .join('\n');

export const getWebhook = (api: ApiClient, id: string) => api.json<Webhook>('GET', webhookPath(id));
