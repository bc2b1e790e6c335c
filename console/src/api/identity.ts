import type { ApiClient } from './client';

/** The signed-in user, as seed 002's login answers it. */
export interface User {
  id?: string | number;
  email?: string;
  username?: string;
  role?: string;
  [field: string]: unknown;
}

export interface LoginResult {
  accessToken: string;
  /** Seconds until the access token expires, when the service said. */
  expiresIn: number | null;
  user: User;
  tenantDomain: string | null;
  /** A platform administrator may act on any tenant (docs/identity.md). */
  platformAdmin: boolean;
}

/**
 * The access token's claims, read only for what the console shows (a tenant switch for platform
 * admins); the gateway and every service check the signature and decide access themselves.
 */
export function tokenClaims(token: string): Record<string, unknown> {
  try {
    const payload = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    const claims: unknown = JSON.parse(atob(payload));
    return claims && typeof claims === 'object' ? (claims as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/**
 * Tells auth-service that the console calls: the refresh token then travels only as an HttpOnly,
 * SameSite=Strict cookie for /api/auth/refresh, never in a body a script could read, and the
 * cookie is taken back only with this header (which a cross-site form cannot send).
 */
export const CONSOLE_CLIENT = { 'X-Cumulus-Client': 'console' };

interface TokenBody {
  success: boolean;
  data: { access_token: string; expires_in?: number; user?: User };
}

function session(data: TokenBody['data'], user: User, tenantDomain: string | null): LoginResult {
  const claims = tokenClaims(data.access_token);
  const roles = Array.isArray(claims.roles) ? claims.roles : [];
  return {
    accessToken: data.access_token,
    expiresIn: typeof data.expires_in === 'number' ? data.expires_in : null,
    user,
    tenantDomain: tenantDomain ?? (typeof claims.tenant_domain === 'string' ? claims.tenant_domain : null),
    platformAdmin: roles.includes('platform_admin'),
  };
}

/**
 * Seed 002's login: e-mail and password, with X-Tenant-Domain naming the tenant (optional when
 * the e-mail belongs to one tenant only). The refresh token comes back as a cookie the page cannot
 * read (docs/console.md).
 */
export async function login(
  api: ApiClient,
  email: string,
  password: string,
  tenantDomain: string,
): Promise<LoginResult> {
  const domain = tenantDomain.trim() || null;
  const body = await api.json<TokenBody>(
    'POST',
    '/api/auth/login',
    { email: email.trim(), password },
    { ...CONSOLE_CLIENT, ...(domain ? { 'X-Tenant-Domain': domain } : {}) },
  );
  return session(body.data, body.data.user ?? {}, domain);
}

/**
 * A new access token for the refresh-token cookie (which auth-service rotates on the way): no
 * body, so the service reads the cookie. Fails with the API's 401 when there is no session.
 */
export async function refreshToken(api: ApiClient): Promise<{ accessToken: string; expiresIn: number | null }> {
  const body = await api.json<TokenBody>('POST', '/api/auth/refresh', undefined, CONSOLE_CLIENT);
  return { accessToken: body.data.access_token, expiresIn: typeof body.data.expires_in === 'number' ? body.data.expires_in : null };
}

/**
 * After a reload: the session of the cookie, if any, with the user's profile. The token is
 * handed to `api` (own tenant) before the profile is asked for.
 */
export async function restoreSession(api: ApiClient, refresh: () => Promise<{ accessToken: string; expiresIn: number | null }>): Promise<LoginResult> {
  const tokens = await refresh();
  const restored = session({ access_token: tokens.accessToken, expires_in: tokens.expiresIn ?? undefined }, {}, null);
  api.signIn(restored.accessToken, restored.tenantDomain);
  const profile = await api.json<{ data: User }>('GET', '/api/auth/profile');
  return { ...restored, user: profile.data ?? {} };
}

/** Ends the session at auth-service: its tokens stop working everywhere within seconds, and its cookie goes. */
export async function logout(api: ApiClient): Promise<void> {
  await api.json('POST', '/api/auth/logout', undefined, CONSOLE_CLIENT);
}

export interface Usage {
  tenantId: string;
  plan: string;
  quotas: Record<string, number>;
  used: Record<string, number>;
}

export const usage = (api: ApiClient) => api.json<Usage>('GET', '/api/usage');

/** One stored hourly sample of the tenant's storage. */
export interface UsageSample {
  hour: string;
  stored_bytes: number;
  objects: number;
  buckets: number;
}

/** auth-service's hourly samples of the tenant's storage (seed 003's envelope), oldest first. */
export const usageHistory = async (api: ApiClient, days: number): Promise<UsageSample[]> =>
  (await api.json<{ data: { samples?: UsageSample[] } }>('GET', `/api/tenants/usage-history/?days=${days}`)).data.samples ?? [];

export type InstanceStatus = 'provisioning' | 'ready' | 'failed' | string;

export interface Instance {
  id: string;
  serviceName: string;
  serviceType: string;
  tenantId: string;
  status: InstanceStatus;
  endpoint?: string;
  createdAt: string;
}

/** A new instance's secrets, shown once. */
export interface CreatedInstance extends Instance {
  apiKey: string;
  s3Credentials?: { accessKeyId: string; secretAccessKey: string };
}

export const listInstances = (api: ApiClient) => api.json<Instance[]>('GET', '/api/services');

export const getInstance = (api: ApiClient, id: string) =>
  api.json<Instance>('GET', `/api/services/${encodeURIComponent(id)}`);

export const createInstance = (api: ApiClient, serviceName: string, serviceType: string) =>
  api.json<CreatedInstance>('POST', '/api/services', { serviceName, serviceType });

export const deleteInstance = (api: ApiClient, id: string) =>
  api.json<void>('DELETE', `/api/services/${encodeURIComponent(id)}`);

export interface ApiKey {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  serviceId?: string | null;
  createdAt: string;
  expiresAt?: string | null;
}

export interface CreatedApiKey extends ApiKey {
  key: string;
}

export const listApiKeys = (api: ApiClient) => api.json<ApiKey[]>('GET', '/api/api-keys');

export const createApiKey = (api: ApiClient, name: string, scopes: string[]) =>
  api.json<CreatedApiKey>('POST', '/api/api-keys', { name, scopes });

export const revokeApiKey = (api: ApiClient, id: string) =>
  api.json<void>('DELETE', `/api/api-keys/${encodeURIComponent(id)}`);

export interface Tenant {
  id: string;
  domain: string;
  name: string;
  plan: string;
  createdAt: string;
}

export const PLANS = ['free', 'pro', 'enterprise'];

/** Every tenant (platform admins). */
export const listTenants = (api: ApiClient) => api.json<Tenant[]>('GET', '/api/admin/tenants');

export const createTenant = (api: ApiClient, tenant: Omit<Tenant, 'createdAt'>) =>
  api.json<Tenant>('POST', '/api/admin/tenants', tenant);

/**
 * A platform admin's short-lived token for another tenant (auth-service's act-as; a tenant
 * administrator's there, no refresh token): logic/acting.ts keeps and renews it.
 */
export async function actAs(api: ApiClient, tenantId: string): Promise<{ accessToken: string; expiresIn: number }> {
  const body = await api.json<{ accessToken: string; expiresIn: number }>(
    'POST',
    `/api/admin/tenants/${encodeURIComponent(tenantId)}/act-as`,
  );
  return { accessToken: body.accessToken, expiresIn: body.expiresIn };
}
