/**
 * Errors from the Cumulus API, in words. Every API family has its own error envelope
 * (docs/architecture: 000 DockSaaS, 001 EventFlow, 002 Auto-Update, 003 multi-tenant,
 * 004 Cloud Integration); the console shows whichever message the family carries.
 */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code?: string,
    readonly requestId?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value.trim() !== '' ? value : undefined;

/** 002's per-field errors, `{"username": ["is required"]}`, as "username is required". */
function fieldWords(fields: unknown): string | undefined {
  if (!isObject(fields)) {
    return undefined;
  }
  const words = Object.entries(fields).map(([field, problems]) => `${field} ${Array.isArray(problems) ? problems.join(', ') : String(problems)}`);
  return words.length > 0 ? words.join('; ') : undefined;
}

/** The envelope's message: the first of the shapes the five families use that fits the body. */
export function messageOf(body: unknown): { message?: string; code?: string; requestId?: string } {
  if (!isObject(body)) {
    return {};
  }
  const error = body.error;
  const meta = isObject(body.meta) ? body.meta : {};
  const requestId = text(body.requestId) ?? text(meta.request_id);
  if (isObject(error)) {
    // 000: {"error":{code,message,details}}; 004: {"error":{message}}; 002: {message, error:{code,fields}}
    const message = text(error.message) ?? text(body.message) ?? text(error.details);
    const fields = fieldWords(error.fields);
    return {
      message: message && fields ? `${message}: ${fields}` : (message ?? fields),
      code: text(error.code),
      requestId,
    };
  }
  // 001: {"error":"Bad Request","message":"..."}; 003: {"status":"failure","error":"..."}
  return {
    message: text(body.message) ?? text(error),
    code: text(body.code) ?? text(body.__type),
    requestId,
  };
}

/** Words for a status the body did not explain (an empty 502 from a proxy, say). */
export function statusWords(status: number): string {
  switch (status) {
    case 401:
      return 'Your session has ended. Please sign in again.';
    case 403:
      return 'You are not allowed to do this.';
    case 404:
      return 'Not found.';
    case 429:
      return 'Too many requests.';
    case 502:
    case 503:
    case 504:
      return 'The service is not available right now.';
    default:
      return status === 0 ? 'The gateway cannot be reached.' : `Request failed (HTTP ${status}).`;
  }
}

/** An ApiError for a failed response's status, body and Retry-After header. */
export function apiError(status: number, body: unknown, retryAfter?: string | null): ApiError {
  const { message, code, requestId } = messageOf(body);
  let words = message ?? statusWords(status);
  const seconds = retryAfter ? Number.parseInt(retryAfter, 10) : Number.NaN;
  if (status === 429 && Number.isFinite(seconds)) {
    words += ` Try again in ${seconds} s.`;
  }
  return new ApiError(words, status, code, requestId);
}

/** What to show for any failure, ours or the network's. */
export function describe(error: unknown): string {
  if (error instanceof ApiError) {
    return error.requestId ? `${error.message} (request ${error.requestId})` : error.message;
  }
  if (error instanceof TypeError) {
    return 'The gateway cannot be reached.';
  }
  return error instanceof Error ? error.message : String(error);
}
