import { describe, expect, it, vi } from 'vitest';
import { ApiClient, type Fetch } from './client';
import { ApiError } from './errors';
import { login } from './identity';

function answering(status: number, body: unknown, headers: Record<string, string> = {}) {
  const calls: { url: string; init: RequestInit }[] = [];
  const fetchFn: Fetch = async (input, init) => {
    calls.push({ url: String(input), init: init ?? {} });
    return new Response(body === undefined ? null : JSON.stringify(body), { status, headers });
  };
  return { fetchFn, calls };
}

describe('ApiClient', () => {
  it('sends the bearer token and tenant domain once signed in, and forgets them on sign-out', async () => {
    const { fetchFn, calls } = answering(200, []);
    const api = new ApiClient(fetchFn);
    api.signIn('t0ken', 'acme');
    await api.json('GET', '/api/services');
    api.signOut();
    await api.json('GET', '/api/services');
    const first = calls[0].init.headers as Record<string, string>;
    const second = calls[1].init.headers as Record<string, string>;
    expect(first.Authorization).toBe('Bearer t0ken');
    expect(first['X-Tenant-Domain']).toBe('acme');
    expect(second.Authorization).toBeUndefined();
    expect(calls[0].init.credentials).toBe('same-origin');
  });

  it('keeps no token in web storage', async () => {
    const { fetchFn } = answering(200, { success: true, data: { access_token: 'secret-jwt', refresh_token: 'r', user: {} } });
    const api = new ApiClient(fetchFn);
    const result = await login(api, 'a@b.c', 'pw', 'acme');
    api.signIn(result.accessToken, result.tenantDomain);
    expect(JSON.stringify({ ...localStorage })).not.toContain('secret-jwt');
    expect(JSON.stringify({ ...sessionStorage })).not.toContain('secret-jwt');
    expect(document.cookie).not.toContain('secret-jwt');
    expect(JSON.stringify(result)).not.toContain('"r"');
  });

  it('throws the envelope message and reports an expired session once signed in', async () => {
    const { fetchFn } = answering(401, { error: { code: 'Unauthorized', message: 'Token revoked' }, requestId: 'x' });
    const expired = vi.fn();
    const api = new ApiClient(fetchFn, expired);
    api.signIn('t', null);
    const failure = (await api.json('GET', '/api/services').catch((e: unknown) => e)) as ApiError;
    expect(failure).toBeInstanceOf(ApiError);
    expect(failure.message).toBe('Token revoked');
    expect(failure.status).toBe(401);
    expect(expired).toHaveBeenCalledOnce();
  });

  it('does not call a failed sign-in an expired session', async () => {
    const { fetchFn } = answering(401, { success: false, message: 'Invalid email or password', error: { code: 'UNAUTHORIZED' } });
    const expired = vi.fn();
    const api = new ApiClient(fetchFn, expired);
    await expect(login(api, 'a@b.c', 'wrong', '')).rejects.toThrow('Invalid email or password');
    expect(expired).not.toHaveBeenCalled();
  });

  it('sends the tenant domain of a sign-in as X-Tenant-Domain and trims the e-mail', async () => {
    const { fetchFn, calls } = answering(200, { success: true, data: { access_token: 'a', user: { email: 'a@b.c' } } });
    const result = await login(new ApiClient(fetchFn), ' a@b.c ', 'pw', ' acme ');
    expect(calls[0].url).toBe('/api/auth/login');
    expect((calls[0].init.headers as Record<string, string>)['X-Tenant-Domain']).toBe('acme');
    // The console's sign-in: auth-service answers the refresh token as an HttpOnly cookie.
    expect((calls[0].init.headers as Record<string, string>)['X-Cumulus-Client']).toBe('console');
    expect(JSON.parse(String(calls[0].init.body))).toEqual({ email: 'a@b.c', password: 'pw' });
    expect(result).toEqual({ accessToken: 'a', expiresIn: null, user: { email: 'a@b.c' }, tenantDomain: 'acme', platformAdmin: false });
  });

  it('answers undefined for 204 No Content', async () => {
    const { fetchFn } = answering(204, undefined);
    await expect(new ApiClient(fetchFn).json('DELETE', '/api/api-keys/1')).resolves.toBeUndefined();
  });

  it('survives an error body that is not JSON', async () => {
    const fetchFn: Fetch = async () => new Response('<html>Bad gateway</html>', { status: 502 });
    await expect(new ApiClient(fetchFn).json('GET', '/x')).rejects.toThrow('The service is not available right now.');
  });
});
