import { fireEvent, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { ApiClient, type Fetch } from '../api/client';
import { renderPage, setUpDom } from '../testing/harness';
import { Home } from './Home';

setUpDom();

/** auth-service as the home page sees it: no instances, API keys that a POST adds to. */
function fakeAuth(): Fetch {
  const keys: { id: string; name: string; prefix: string; scopes: string[]; createdAt: string }[] = [];
  const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status });
  return async (input, init) => {
    const path = String(input);
    const method = init?.method ?? 'GET';
    if (path === '/api/usage') {
      return json({
        tenantId: 'acme',
        plan: 'free',
        quotas: { instances: 5, api_keys: 5 },
        used: { instances: 0, api_keys: keys.length },
      });
    }
    if (path === '/api/services') {
      return json([]);
    }
    if (path === '/api/api-keys' && method === 'POST') {
      const key = { id: `k${keys.length}`, name: 'ci', prefix: 'ck_abc', scopes: ['read'], createdAt: '2026-12-06T00:00:00Z' };
      keys.push(key);
      return json({ ...key, key: 'ck_abc_secret' }, 201);
    }
    if (path === '/api/api-keys') {
      return json(keys);
    }
    return json({ message: `unexpected ${method} ${path}` }, 404);
  };
}

describe('Home', () => {
  it('counts a key created on the page in the usage card at once', async () => {
    const api = new ApiClient(fakeAuth());
    renderPage(<Home />, api);
    expect(await screen.findByLabelText('API keys: 0 of 5')).toBeTruthy();

    fireEvent.change(screen.getByLabelText(/Key name/), { target: { value: 'ci' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create key' }));

    expect(await screen.findByLabelText('API keys: 1 of 5')).toBeTruthy();
  });
});
