import { apiError } from './errors';

export type Fetch = typeof fetch;

/** The token of the tenant a platform admin acts on (logic/acting.ts). */
export interface ActingTokenSource {
  current(): string | null;
  fresh(): Promise<string>;
}

/**
 * The admin's own business, which stays on the admin's own token while acting: the session
 * (/api/auth: profile, refresh, logout) and platform administration (/api/admin: tenants, act-as).
 */
const OWN_TOKEN_PATHS = ['/api/auth/', '/api/admin/'];

const ownTokenPath = (path: string) => OWN_TOKEN_PATHS.some((prefix) => path.startsWith(prefix));

/**
 * Calls the public API through the gateway (same origin). The access token lives in this
 * object only — never in localStorage or a readable cookie; a reload gets a new one with the
 * refresh-token cookie, which is HttpOnly (docs/console.md).
 */
export class ApiClient {
  private token: string | null = null;
  private tenantDomain: string | null = null;
  private acting: ActingTokenSource | null = null;

  constructor(
    private readonly fetchFn: Fetch = (input, init) => fetch(input, init),
    private readonly onUnauthorized: () => void = () => {},
  ) {}

  signIn(token: string, tenantDomain: string | null): void {
    this.token = token;
    this.tenantDomain = tenantDomain;
  }

  /** A refreshed access token for the same session; the tenant acted on stays. */
  replaceToken(token: string): void {
    this.token = token;
  }

  /**
   * A platform admin acts on another tenant: X-Tenant-Domain names it on every call, and with
   * `acting` (auth-service's act-as token for it) every call but the admin's own (OWN_TOKEN_PATHS)
   * carries that tenant's token, so services that take the tenant from the token alone follow
   * too (docs/console.md). Back home: no `acting`.
   */
  switchTenant(tenantDomain: string, acting: ActingTokenSource | null = null): void {
    this.tenantDomain = tenantDomain;
    this.acting = acting;
  }

  signOut(): void {
    this.token = null;
    this.tenantDomain = null;
    this.acting = null;
  }

  /**
   * A WebSocket address on the gateway with the token as `?token=`: a browser cannot set headers
   * on a handshake (docs/updater.md). Same origin, so only the gateway ever sees it.
   */
  socketUrl(path: string, origin: string = window.location.origin): string {
    const url = new URL(path, origin);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    const token = this.tokenNow(url.pathname);
    if (token) {
      url.searchParams.set('token', token);
    }
    return url.toString();
  }

  get signedIn(): boolean {
    return this.token !== null;
  }

  /**
   * The headers that identify the caller of `path`: bearer token and, when known, the tenant
   * domain. Synchronous, for what cannot wait (an upload): the acting token as it is now, which
   * ActingToken renews ahead of its expiry.
   */
  authHeaders(path = ''): Record<string, string> {
    return this.headersWith(this.tokenNow(path));
  }

  private tokenNow(path: string): string | null {
    return this.acting && !ownTokenPath(path) ? this.acting.current() : this.token;
  }

  /** The token for `path`, the acting one renewed first when it is due. */
  private async tokenFor(path: string): Promise<string | null> {
    return this.acting && !ownTokenPath(path) ? this.acting.fresh() : this.token;
  }

  private headersWith(token: string | null): Record<string, string> {
    const headers: Record<string, string> = {};
    if (token) {
      headers.Authorization = `Bearer ${token}`;
    }
    if (this.tenantDomain) {
      headers['X-Tenant-Domain'] = this.tenantDomain;
    }
    return headers;
  }

  async json<T>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<T> {
    const response = await this.send(path, {
      method,
      headers: {
        Accept: 'application/json',
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        ...this.headersWith(await this.tokenFor(path)),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (response.status === 204) {
      return undefined as T;
    }
    const textBody = await response.text();
    return (textBody ? JSON.parse(textBody) : undefined) as T;
  }

  /**
   * A GET whose body is read as it arrives (Server-Sent Events): the token goes in the
   * Authorization header as on every call, never in the address (an EventSource could not send
   * it); `signal` ends the stream.
   */
  async stream(path: string, signal: AbortSignal, accept = 'text/event-stream'): Promise<Response> {
    return this.send(path, { method: 'GET', headers: { Accept: accept, ...this.headersWith(await this.tokenFor(path)) }, signal });
  }

  async blob(path: string): Promise<Blob> {
    const response = await this.send(path, { method: 'GET', headers: this.headersWith(await this.tokenFor(path)) });
    return response.blob();
  }

  private async send(path: string, init: RequestInit): Promise<Response> {
    // credentials 'same-origin': the refresh cookie travels (to its one path), nothing cross-site does.
    const response = await this.fetchFn(path, { ...init, credentials: 'same-origin' });
    if (response.ok) {
      return response;
    }
    const body = await response.text().then(parseOrNull);
    if (response.status === 401 && this.token) {
      this.onUnauthorized();
    }
    throw apiError(response.status, body, response.headers.get('Retry-After'));
  }
}

function parseOrNull(body: string): unknown {
  try {
    return body ? JSON.parse(body) : null;
  } catch {
    return null;
  }
}
