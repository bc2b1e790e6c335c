import { describe, expect, it, vi } from 'vitest';
import { ApiClient, type Fetch } from '../api/client';
import { actAs } from '../api/identity';
import { ActingToken, type ActingGrant, type Schedule } from './acting';

/** A clock the test moves, and the renewals ActingToken scheduled (run by hand, no timers). */
function world() {
  let now = 1_000_000;
  const scheduled: { ms: number; run: () => void; cancelled: boolean }[] = [];
  const schedule: Schedule = (ms, run) => {
    const entry = { ms, run, cancelled: false };
    scheduled.push(entry);
    return () => {
      entry.cancelled = true;
    };
  };
  return {
    now: () => now,
    advance: (ms: number) => {
      now += ms;
    },
    schedule,
    pending: () => scheduled.filter((s) => !s.cancelled),
  };
}

function grants() {
  let n = 0;
  const obtain = vi.fn(async (): Promise<ActingGrant> => ({ accessToken: `acting-${++n}`, expiresIn: 900 }));
  return obtain;
}

describe('ActingToken', () => {
  it('keeps the token until four fifths of its 15 minutes, then asks for a new one', async () => {
    const w = world();
    const obtain = grants();
    const token = new ActingToken(obtain, vi.fn(), w.now, w.schedule);
    expect(await token.start()).toBe('acting-1');
    expect(w.pending().map((s) => s.ms)).toEqual([720_000]);

    w.advance(719_000);
    expect(await token.fresh()).toBe('acting-1');
    expect(obtain).toHaveBeenCalledTimes(1);

    w.advance(1_000);
    expect(await token.fresh()).toBe('acting-2');
    expect(token.current()).toBe('acting-2');
    // The renewal replaced the one scheduled for the first token.
    expect(w.pending()).toHaveLength(1);
  });

  it('renews ahead of expiry when idle, so the token of a socket or an upload is never stale', async () => {
    const w = world();
    const obtain = grants();
    const token = new ActingToken(obtain, vi.fn(), w.now, w.schedule);
    await token.start();
    w.advance(720_000);
    w.pending()[0].run();
    await vi.waitFor(() => expect(token.current()).toBe('acting-2'));
    w.advance(899_000);
    expect(token.current()).toBe('acting-2');
    w.advance(1_000);
    // Expired and not renewed: nothing rather than a token the services refuse.
    expect(token.current()).toBeNull();
  });

  it('shares one request among calls at once', async () => {
    const w = world();
    let release: (grant: ActingGrant) => void = () => {};
    const obtain = vi.fn(() => new Promise<ActingGrant>((resolve) => (release = resolve)));
    const token = new ActingToken(obtain, vi.fn(), w.now, w.schedule);
    const both = Promise.all([token.fresh(), token.fresh()]);
    release({ accessToken: 'only', expiresIn: 900 });
    expect(await both).toEqual(['only', 'only']);
    expect(obtain).toHaveBeenCalledOnce();
  });

  it('drops the token for good when stopped, even if a renewal answers afterwards', async () => {
    const w = world();
    let release: (grant: ActingGrant) => void = () => {};
    const obtain = vi
      .fn<() => Promise<ActingGrant>>()
      .mockResolvedValueOnce({ accessToken: 'first', expiresIn: 900 })
      .mockImplementationOnce(() => new Promise<ActingGrant>((resolve) => (release = resolve)));
    const failed = vi.fn();
    const token = new ActingToken(obtain, failed, w.now, w.schedule);
    await token.start();
    w.advance(720_000);
    const late = token.fresh();
    token.stop();
    release({ accessToken: 'late', expiresIn: 900 });
    await expect(late).rejects.toThrow('No longer acting');
    expect(token.current()).toBeNull();
    await expect(token.fresh()).rejects.toThrow('No longer acting');
    expect(w.pending()).toEqual([]);
    expect(failed).not.toHaveBeenCalled();
  });

  it('reports a refused renewal (the admin lost the role, the tenant went)', async () => {
    const w = world();
    const refusal = new Error('This operation needs a platform administrator');
    const obtain = vi
      .fn<() => Promise<ActingGrant>>()
      .mockResolvedValueOnce({ accessToken: 'first', expiresIn: 900 })
      .mockRejectedValueOnce(refusal);
    const failed = vi.fn();
    const token = new ActingToken(obtain, failed, w.now, w.schedule);
    await token.start();
    w.pending()[0].run();
    await vi.waitFor(() => expect(failed).toHaveBeenCalledWith(refusal));
  });
});

describe('ApiClient acting on another tenant', () => {
  function recording() {
    const calls: { path: string; headers: Record<string, string> }[] = [];
    const fetchFn: Fetch = async (input, init) => {
      const path = String(input);
      calls.push({ path, headers: (init?.headers ?? {}) as Record<string, string> });
      if (path.endsWith('/act-as')) {
        return new Response(JSON.stringify({ accessToken: 'acme-token', tokenType: 'Bearer', expiresIn: 900 }), { status: 200 });
      }
      return new Response('[]', { status: 200 });
    };
    return { fetchFn, calls, auth: (i: number) => calls[i].headers.Authorization };
  }

  it('asks auth-service with the admin token, then sends the tenant token to every service but the admin own', async () => {
    const g = recording();
    const api = new ApiClient(g.fetchFn);
    api.signIn('admin-token', 'default');
    const token = new ActingToken(() => actAs(api, 'acme'));
    await token.start();
    expect(g.calls[0].path).toBe('/api/admin/tenants/acme/act-as');
    expect(g.auth(0)).toBe('Bearer admin-token');

    api.switchTenant('acme.io', token);
    await api.json('GET', '/api/webhooks');
    await api.json('GET', '/api/containers');
    await api.json('GET', '/api/tenants/users');
    await api.json('GET', '/api/admin/tenants');
    await api.json('POST', '/api/auth/logout');
    expect(g.calls.slice(1).map((c) => `${c.path} ${c.headers.Authorization}`)).toEqual([
      '/api/webhooks Bearer acme-token',
      '/api/containers Bearer acme-token',
      '/api/tenants/users Bearer acme-token',
      '/api/admin/tenants Bearer admin-token',
      '/api/auth/logout Bearer admin-token',
    ]);
    expect(g.calls[1].headers['X-Tenant-Domain']).toBe('acme.io');
    expect(new URL(api.socketUrl('/api/ws', 'http://gw.test')).searchParams.get('token')).toBe('acme-token');
    expect(api.authHeaders('/api/s3storage/acme/x/buckets/b/objects').Authorization).toBe('Bearer acme-token');
  });

  it('goes back to the admin token when switching home, and forgets both on sign-out', async () => {
    const g = recording();
    const api = new ApiClient(g.fetchFn);
    api.signIn('admin-token', 'default');
    const token = new ActingToken(() => actAs(api, 'acme'));
    await token.start();
    api.switchTenant('acme.io', token);
    token.stop();
    api.switchTenant('default');
    await api.json('GET', '/api/webhooks');
    expect(g.calls.at(-1)?.headers).toMatchObject({ Authorization: 'Bearer admin-token', 'X-Tenant-Domain': 'default' });

    api.switchTenant('acme.io', token);
    api.signOut();
    await api.json('GET', '/api/webhooks');
    expect(g.calls.at(-1)?.headers.Authorization).toBeUndefined();
  });
});
