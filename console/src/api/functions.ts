import type { ApiClient } from './client';
import { seg } from './service';

/** Seed 000's functions of one `function` instance (docs/function.md). */
export interface LambdaFunction {
  functionName: string;
  runtime: string;
  effectiveRuntime?: string;
  handler: string;
  codeSize: number;
  timeout: number;
  memorySize: number;
  state?: string;
  lastModified?: string;
  description?: string;
}

export interface Invocation {
  requestId: string;
  statusCode: number;
  payload: unknown;
  functionError?: string | null;
  durationMs: number;
  billedDurationMs?: number;
  coldStart?: boolean;
  maxMemoryUsedMb?: number;
  logResult?: string;
}

/** The runtimes function-service runs by default, with the handler format each expects. */
export const RUNTIMES = [
  { value: 'python3.11', label: 'Python 3.11', handler: 'lambda_function.lambda_handler' },
  { value: 'nodejs20', label: 'Node.js 20', handler: 'index.handler' },
  { value: 'java21', label: 'Java 21', handler: 'example.Handler::handleRequest' },
];

const functionPath = (base: string, name: string) => `${base}/functions/${seg(name)}`;

export async function listFunctions(api: ApiClient, base: string): Promise<LambdaFunction[]> {
  return (await api.json<{ functions: LambdaFunction[] }>('GET', `${base}/functions`)).functions;
}

export interface Deployment {
  functionName: string;
  runtime: string;
  handler: string;
  timeout: number;
  memorySize: number;
  /** The zip's bytes as Base64. */
  code: string;
}

export const deployFunction = (api: ApiClient, base: string, deployment: Deployment) =>
  api.json<LambdaFunction>('POST', `${base}/functions`, deployment);

/** New code for a function that exists: its configuration stays. */
export const updateCode = (api: ApiClient, base: string, name: string, zipBase64: string) =>
  api.json<LambdaFunction>('PUT', `${functionPath(base, name)}/code`, { zipFile: zipBase64 });

export const deleteFunction = (api: ApiClient, base: string, name: string) =>
  api.json<void>('DELETE', functionPath(base, name));

/** `?invocationType=…` and, when one is chosen, `&qualifier=` (a version or an alias). */
function invokeQuery(type: 'RequestResponse' | 'Event', qualifier?: string): string {
  const query = new URLSearchParams({ invocationType: type });
  if (qualifier && qualifier !== '$LATEST') {
    query.set('qualifier', qualifier);
  }
  return query.toString();
}

/** A synchronous invocation: the handler's result, its error if any, and its log's tail. */
export const invokeFunction = (api: ApiClient, base: string, name: string, payload: unknown, qualifier?: string) =>
  api.json<Invocation>('POST', `${functionPath(base, name)}/invoke?${invokeQuery('RequestResponse', qualifier)}`, { payload });

/** An Event invocation: queued (202), run by a worker, retried twice, then dead-lettered. */
export interface EventInvocation {
  requestId: string;
  status: 'queued' | 'succeeded' | 'dead_lettered' | string;
  attempts?: number | null;
  errorType?: string | null;
  errorMessage?: string | null;
  result?: unknown;
}

export const invokeEvent = (api: ApiClient, base: string, name: string, payload: unknown, qualifier?: string) =>
  api.json<EventInvocation>('POST', `${functionPath(base, name)}/invoke?${invokeQuery('Event', qualifier)}`, { payload });

export const eventInvocation = (api: ApiClient, base: string, name: string, requestId: string) =>
  api.json<EventInvocation>('GET', `${functionPath(base, name)}/invocations/${seg(requestId)}`);

/** Whether an Event invocation is over: it succeeded or was dead-lettered after its retries. */
export const settled = (invocation: EventInvocation) => invocation.status !== 'queued';

/** A published version's frozen configuration ($LATEST is the one still changing). */
export interface FunctionVersion extends LambdaFunction {
  version: string;
  codeSha256?: string;
}

export const listVersions = (api: ApiClient, base: string, name: string) =>
  api.json<FunctionVersion[]>('GET', `${functionPath(base, name)}/versions`);

/** Publishes $LATEST as the next version number. */
export const publishVersion = (api: ApiClient, base: string, name: string, description: string) =>
  api.json<FunctionVersion>('POST', `${functionPath(base, name)}/versions`, description ? { description } : {});

/** Alias name → the version it points at. */
export const listAliases = (api: ApiClient, base: string, name: string) =>
  api.json<Record<string, string>>('GET', `${functionPath(base, name)}/aliases`);

/** Creates the alias, or moves it when it exists. */
export const putAlias = (api: ApiClient, base: string, name: string, alias: string, functionVersion: string, description: string) =>
  api.json<{ name: string; functionVersion: string }>('POST', `${functionPath(base, name)}/aliases`, {
    name: alias,
    functionVersion,
    ...(description ? { description } : {}),
  });

/** What an invocation can name: $LATEST, each published version, each alias. */
export function qualifiers(versions: FunctionVersion[], aliases: Record<string, string>): { value: string; label: string }[] {
  const published = versions.filter((v) => v.version !== '$LATEST').map((v) => ({ value: v.version, label: `version ${v.version}` }));
  const named = Object.entries(aliases)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([alias, version]) => ({ value: alias, label: `${alias} → ${version}` }));
  return [{ value: '$LATEST', label: '$LATEST' }, ...published, ...named];
}

/** A file's bytes as Base64, in chunks so a large zip does not overflow the call stack. */
export async function base64Of(file: Blob): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  const CHUNK = 0x8000;
  for (let i = 0; i < bytes.length; i += CHUNK) {
    binary += String.fromCharCode(...bytes.subarray(i, i + CHUNK));
  }
  return btoa(binary);
}

/** The payload a person typed: empty means {}, anything else must be JSON. */
export function parsePayload(text: string): unknown {
  if (!text.trim()) {
    return {};
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new Error('The payload is not valid JSON.');
  }
}

/** One window of a function's metrics (docs/function.md). */
export interface MetricsWindow {
  timestamp: string;
  invocations: number;
  errors: number;
  throttles: number;
  coldStarts: number;
  p50DurationMs?: number | null;
  p95DurationMs?: number | null;
  maxDurationMs?: number | null;
}

export interface FunctionMetrics {
  startTime: string;
  endTime: string;
  invocations: number;
  errors: number;
  throttles: number;
  coldStarts: number;
  p50DurationMs?: number | null;
  p95DurationMs?: number | null;
  maxDurationMs?: number | null;
  periodSeconds: number;
  datapoints: MetricsWindow[];
}

/** The last `minutes` minutes, one window a minute. */
export function getMetrics(api: ApiClient, base: string, name: string, minutes: number, now = Date.now()) {
  const end = new Date(Math.ceil(now / 60_000) * 60_000);
  const start = new Date(end.getTime() - minutes * 60_000);
  const query = new URLSearchParams({ startTime: start.toISOString(), endTime: end.toISOString(), period: '60' });
  return api.json<FunctionMetrics>('GET', `${functionPath(base, name)}/invocations?${query}`);
}

/**
 * Every window of the range, in order: the service answers only windows that had invocations,
 * so a chart would otherwise close the quiet gaps.
 */
export function everyWindow(metrics: FunctionMetrics): MetricsWindow[] {
  const start = Date.parse(metrics.startTime);
  const period = metrics.periodSeconds * 1000;
  const count = Math.max(0, Math.round((Date.parse(metrics.endTime) - start) / period));
  const byStart = new Map(metrics.datapoints.map((w) => [Date.parse(w.timestamp), w]));
  return Array.from({ length: count }, (_, i) => {
    const at = start + i * period;
    return byStart.get(at) ?? { timestamp: new Date(at).toISOString(), invocations: 0, errors: 0, throttles: 0, coldStarts: 0 };
  });
}
