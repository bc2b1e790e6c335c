import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiClient, type Fetch } from '../api/client';
import { logout, refreshToken, restoreSession } from '../api/identity';
import { REFRESH_LOCK, refreshDelay, SessionKeeper, type Locks, type Tokens } from './session';

/** A JWT-shaped token with these claims (the console reads claims, it never verifies). */
const jwt = (claims: Record<string, unknown>) => `h.${btoa(JSON.stringify(claims))}.s`;

function gateway(answers: Record<string, () => Response>) {
  const calls: { path: string; init: RequestInit }[] = [];
  const fetchFn: Fetch = async (input, init) => {
    calls.push({ path: String(input), init: init ?? {} });
    const answer = answers[`${init?.method} ${String(input)}`];
    return answer ? answer() : new Response('{}', { status: 404 });
  };
  return { fetchFn, calls, headers: (i: number) => calls[i].init.headers as Record<string, string> };
}
const ok = (body: unknown) => () => new Response(JSON.stringify(body), { status: 200 });

afterEach(() => {
  vi.useRealTimers();
});

describe('session refresh with the cookie', () => {
  it('refreshes with no body and the console header, so auth-service reads its HttpOnly cookie', async () => {
    const g = gateway({ 'POST /api/auth/refresh': ok({ success: true, data: { access_token: 'new', expires_in: 900 } }) });
    expect(await refreshToken(new ApiClient(g.fetchFn))).toEqual({ accessToken: 'new', expiresIn: 900 });
    expect(g.calls[0].init.body).toBeUndefined();
    expect(g.headers(0)['X-Cumulus-Client']).toBe('console');
    expect(g.calls[0].init.credentials).toBe('same-origin');
  });

  it('restores a session after a reload: the token from the cookie, then the profile with it', async () => {
    const token = jwt({ tenant_domain: 'acme', roles: ['admin', 'platform_admin'] });
    const g = gateway({ 'GET /api/auth/profile': ok({ success: true, data: { email: 'alice@acme.test' } }) });
    const api = new ApiClient(g.fetchFn);
    const restored = await restoreSession(api, async () => ({ accessToken: token, expiresIn: 86400 }));
    expect(restored).toEqual({ accessToken: token, expiresIn: 86400, user: { email: 'alice@acme.test' }, tenantDomain: 'acme', platformAdmin: true });
    expect(g.headers(0).Authorization).toBe(`Bearer ${token}`);
    expect(api.signedIn).toBe(true);
  });

  it('restores nothing when there is no cookie', async () => {
    const g = gateway({
      'POST /api/auth/refresh': () => new Response(JSON.stringify({ success: false, message: 'No refresh token: sign in again' }), { status: 401 }),
    });
    const api = new ApiClient(g.fetchFn);
    await expect(restoreSession(api, () => refreshToken(api))).rejects.toThrow('No refresh token');
    expect(api.signedIn).toBe(false);
    expect(g.calls.map((c) => c.path)).toEqual(['/api/auth/refresh']);
  });

  it('signs out with the console header, so the answer clears the cookie', async () => {
    const g = gateway({ 'POST /api/auth/logout': ok({ success: true }) });
    await logout(new ApiClient(g.fetchFn));
    expect(g.headers(0)['X-Cumulus-Client']).toBe('console');
  });

  it('keeps the tenant a platform admin acts on when the token is replaced', async () => {
    const g = gateway({ 'GET /api/services': ok([]) });
    const api = new ApiClient(g.fetchFn);
    api.signIn('old', 'default');
    api.switchTenant('acme');
    api.replaceToken('new');
    await api.json('GET', '/api/services');
    expect(g.headers(0)).toMatchObject({ Authorization: 'Bearer new', 'X-Tenant-Domain': 'acme' });
  });
});

describe('SessionKeeper', () => {
  it('refreshes at four fifths of a token life, a minute before its end at the latest, never within 10 s', () => {
    expect(refreshDelay(86400)).toBe(86400_000 * 0.8);
    expect(refreshDelay(240)).toBe(180_000);
    expect(refreshDelay(5)).toBe(10_000);
  });

  it('shares one refresh among callers in a tab: a rotated cookie is never presented twice', async () => {
    let release: (tokens: Tokens) => void = () => {};
    const refresh = vi.fn(() => new Promise<Tokens>((resolve) => (release = resolve)));
    const keeper = new SessionKeeper(refresh, undefined);
    const first = keeper.refresh();
    const second = keeper.refresh();
    release({ accessToken: 'a', expiresIn: 60 });
    expect(await first).toEqual(await second);
    expect(refresh).toHaveBeenCalledOnce();
    // Once settled, the next refresh is a new one.
    const third = keeper.refresh();
    release({ accessToken: 'b', expiresIn: 60 });
    expect((await third).accessToken).toBe('b');
    expect(refresh).toHaveBeenCalledTimes(2);
  });

  it('takes the cross-tab lock around each refresh', async () => {
    const names: string[] = [];
    const locks: Locks = {
      request: (name, callback) => {
        names.push(name);
        return callback();
      },
    };
    const keeper = new SessionKeeper(async () => ({ accessToken: 'a', expiresIn: 60 }), locks);
    await keeper.refresh();
    expect(names).toEqual([REFRESH_LOCK]);
  });

  it('refreshes before the token ends, again after each success, and reports a refusal', async () => {
    vi.useFakeTimers();
    const answers: (Tokens | Error)[] = [
      { accessToken: 'second', expiresIn: 900 },
      new Error('Refresh token has been revoked'),
    ];
    const keeper = new SessionKeeper(async () => {
      const next = answers.shift()!;
      if (next instanceof Error) {
        throw next;
      }
      return next;
    }, undefined);
    const refreshed = vi.fn();
    const failed = vi.fn();
    keeper.schedule(900, refreshed, failed);
    await vi.advanceTimersByTimeAsync(refreshDelay(900) - 1);
    expect(refreshed).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(refreshed).toHaveBeenCalledWith({ accessToken: 'second', expiresIn: 900 });
    await vi.advanceTimersByTimeAsync(refreshDelay(900));
    expect(failed).toHaveBeenCalledOnce();
    expect((failed.mock.calls[0][0] as Error).message).toContain('revoked');
  });

  it('stops refreshing on sign-out', async () => {
    vi.useFakeTimers();
    const refresh = vi.fn(async () => ({ accessToken: 'x', expiresIn: 60 }));
    const keeper = new SessionKeeper(refresh, undefined);
    keeper.schedule(60, vi.fn(), vi.fn());
    keeper.cancel();
    await vi.advanceTimersByTimeAsync(120_000);
    expect(refresh).not.toHaveBeenCalled();
  });
});
