import { MantineProvider } from '@mantine/core';
import { render, screen } from '@testing-library/react';
import { StrictMode } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { App } from './App';
import { setUpDom } from './testing/harness';

setUpDom();

const token = `h.${btoa(JSON.stringify({ tenant_domain: 'acme', roles: ['admin'] }))}.s`;

/** The gateway behind the global fetch: refresh and profile as given, anything else 404. */
function stubGateway(refresh: () => Response) {
  const calls: { path: string; headers: Record<string, string> }[] = [];
  vi.stubGlobal('fetch', async (input: RequestInfo | URL, init?: RequestInit) => {
    const path = String(input);
    calls.push({ path, headers: (init?.headers ?? {}) as Record<string, string> });
    if (path === '/api/auth/refresh' && init?.method === 'POST') {
      return refresh();
    }
    if (path === '/api/auth/profile') {
      return new Response(JSON.stringify({ success: true, data: { email: 'alice@acme.test' } }), { status: 200 });
    }
    return new Response(JSON.stringify({ error: { code: 'NotFound', message: 'not here' } }), { status: 404 });
  });
  return calls;
}

const renderApp = () =>
  render(
    // StrictMode as main.tsx renders it: effects run twice in development.
    <StrictMode>
      <MantineProvider env="test">
        <App />
      </MantineProvider>
    </StrictMode>,
  );

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('App after a reload', () => {
  it('stays signed in with the session of the refresh-token cookie', async () => {
    const calls = stubGateway(
      () => new Response(JSON.stringify({ success: true, data: { access_token: token, expires_in: 86400 } }), { status: 200 }),
    );
    renderApp();
    expect((await screen.findByTestId('signed-in-as')).textContent).toBe('alice@acme.test · acme');
    expect(calls[0].path).toBe('/api/auth/refresh');
    expect(calls[0].headers['X-Cumulus-Client']).toBe('console');
    expect(calls.find((c) => c.path === '/api/auth/profile')?.headers.Authorization).toBe(`Bearer ${token}`);
    // One refresh only, though StrictMode runs the restoring effect twice: a second would present
    // the rotated-away cookie, and auth-service would end the session.
    expect(calls.filter((c) => c.path === '/api/auth/refresh')).toHaveLength(1);
  });

  it('asks to sign in when there is no session to restore, without calling it expired', async () => {
    stubGateway(() => new Response(JSON.stringify({ success: false, message: 'No refresh token: sign in again' }), { status: 401 }));
    renderApp();
    expect(await screen.findByRole('heading', { name: 'Sign in to Cumulus' })).toBeTruthy();
    expect(screen.queryByText(/Your session has ended/)).toBeNull();
  });
});
