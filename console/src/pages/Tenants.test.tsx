import { MantineProvider } from '@mantine/core';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { ApiClient } from '../api/client';
import { tokenClaims, type Tenant } from '../api/identity';
import { ActingBanner } from '../components/ActingBanner';
import { ConsoleContext } from '../console';
import { fakeGateway, json, renderPage, setUpDom } from '../testing/harness';
import { Tenants } from './Tenants';

setUpDom();

const acme: Tenant = { id: 'acme', domain: 'acme', name: 'Acme', plan: 'pro', createdAt: '2026-12-01T10:00:00Z' };
const globex: Tenant = { id: 'globex', domain: 'globex.test', name: 'Globex', plan: 'free', createdAt: '2026-12-02T10:00:00Z' };

function authService() {
  const tenants = [acme, globex];
  return fakeGateway({
    'GET /api/admin/tenants': () => tenants,
    'POST /api/admin/tenants': ({ body }) => {
      const b = body as Tenant;
      if (tenants.some((t) => t.id === b.id)) {
        return json({ error: { code: 'Conflict', message: `Tenant ${b.id} already exists` } }, 409);
      }
      tenants.push({ ...b, createdAt: '2026-12-07T10:00:00Z' });
      return json(tenants[tenants.length - 1], 201);
    },
  });
}

describe('Tenants (platform admins)', () => {
  it('reads the roles and tenant from the token payload, and nothing from a token that is not a JWT', () => {
    const payload = btoa(JSON.stringify({ roles: ['admin', 'platform_admin'], tenant_domain: 'default' })).replace(/=+$/, '');
    expect(tokenClaims(`eyJhbGciOiJSUzI1NiJ9.${payload}.sig`)).toEqual({ roles: ['admin', 'platform_admin'], tenant_domain: 'default' });
    expect(tokenClaims('opaque')).toEqual({});
  });

  it('sends X-Tenant-Domain of the tenant switched to', () => {
    const api = new ApiClient();
    api.signIn('token', 'default');
    api.switchTenant('acme');
    expect(api.authHeaders()['X-Tenant-Domain']).toBe('acme');
  });

  it('creates a tenant, the domain and name defaulting to its id, and says why one was refused', async () => {
    const gateway = authService();
    renderPage(<Tenants />, gateway.api);
    await screen.findByTestId('tenant-globex');
    fireEvent.change(screen.getByLabelText(/Tenant id/), { target: { value: 'initech' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create tenant' }));
    await screen.findByTestId('tenant-initech');
    expect(gateway.sent('POST', '/api/admin/tenants')[0].body).toEqual({ id: 'initech', domain: 'initech', name: 'initech', plan: 'free' });

    fireEvent.change(screen.getByLabelText(/Tenant id/), { target: { value: 'acme' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create tenant' }));
    expect((await screen.findByRole('alert')).textContent).toContain('Tenant acme already exists');
  });

  it('acts on another tenant by its domain and id (for its act-as token) and goes home', async () => {
    const switchTenant = vi.fn();
    const navigate = renderPage(<Tenants />, authService().api, vi.fn(), switchTenant);
    expect((await screen.findByTestId('tenant-acme')).textContent).toContain('Acting on it');
    fireEvent.click(screen.getByRole('button', { name: 'Act on globex.test' }));
    expect(switchTenant).toHaveBeenCalledWith('globex.test', 'globex');
    await waitFor(() => expect(navigate).toHaveBeenCalledWith({ page: 'home' }));
  });

  it('stays and says why when the act-as token is refused', async () => {
    const switchTenant = vi.fn(async () => {
      throw new Error('This operation needs a platform administrator');
    });
    const navigate = renderPage(<Tenants />, authService().api, vi.fn(), switchTenant);
    fireEvent.click(await screen.findByRole('button', { name: 'Act on globex.test' }));
    expect((await screen.findByRole('alert')).textContent).toContain('needs a platform administrator');
    expect(navigate).not.toHaveBeenCalled();
  });

  it('says which tenant is acted on and goes back', () => {
    const switchTenant = vi.fn();
    const value = { api: new ApiClient(), user: {}, tenantDomain: 'globex.test', homeDomain: 'default', platformAdmin: true, switchTenant, navigate: vi.fn() };
    render(
      <MantineProvider env="test">
        <ConsoleContext.Provider value={value}>
          <ActingBanner />
        </ConsoleContext.Provider>
      </MantineProvider>,
    );
    expect(screen.getByText('Acting on tenant globex.test')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Back to default' }));
    expect(switchTenant).toHaveBeenCalledWith('default');
  });
});
