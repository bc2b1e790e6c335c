import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { Organization, TenantUser } from '../api/tenant';
import { fakeGateway, json, renderPage, setUpDom } from '../testing/harness';
import { Users } from './Users';

setUpDom();

const bob: TenantUser = { id: 7, username: 'bob', email: 'bob@acme.test', role: 'viewer', is_active: true, last_login: null };
const ops: Organization = { id: 'o1', name: 'Ops', description: 'on call', created_at: '2026-12-06T10:00:00Z', created_by: { id: 1, username: 'alice' } };
const ok = (data: unknown) => ({ status: 'success', message: 'Success', data });

function authService() {
  const users = [bob];
  const orgs = [ops];
  return fakeGateway({
    'GET /api/tenants/users': () => ok({ results: users }),
    'POST /api/tenants/users': ({ body }) => {
      const b = body as TenantUser;
      if (b.username === 'bob') {
        return json({ status: 'failure', error: 'A user with that username already exists' }, 409);
      }
      users.push({ ...bob, id: 8, username: b.username, email: b.email, role: b.role });
      return json(ok(users[1]), 201);
    },
    'PUT /api/tenants/users/7': ({ body }) => {
      if ((body as TenantUser).email === 'taken@acme.test') {
        return json({ status: 'failure', error: 'A user with that e-mail already exists', data: null }, 409);
      }
      Object.assign(users[0], body);
      return ok(users[0]);
    },
    // Seed 002's list, where the permissions are.
    'GET /api/users': () => ({ success: true, data: { items: [{ id: 7, permissions: ['container:read', 'image:read', 'update:read'] }], pagination: { page: 1, has_next: false } } }),
    'GET /api/tenants/organizations': () => ok({ results: orgs }),
    'DELETE /api/tenants/organizations/o1': () => {
      orgs.pop();
      return ok(null);
    },
  });
}

describe('Users and organizations', () => {
  it('adds a user with a role, and says in words why one was refused', async () => {
    const gateway = authService();
    renderPage(<Users />, gateway.api);
    await screen.findByTestId('user-bob');
    const form = screen.getByRole('form', { name: 'Add a user' });
    fireEvent.change(within(form).getByLabelText(/Username/), { target: { value: 'carol' } });
    fireEvent.change(within(form).getByLabelText(/E-mail/), { target: { value: 'carol@acme.test' } });
    fireEvent.change(within(form).getByLabelText(/Password/), { target: { value: 'a long passphrase' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Add user' }));
    await screen.findByTestId('user-carol');
    expect(gateway.sent('POST', '/api/tenants/users')[0].body).toEqual({
      username: 'carol',
      email: 'carol@acme.test',
      password: 'a long passphrase',
      role: 'user',
    });

    fireEvent.change(within(form).getByLabelText(/Username/), { target: { value: 'bob' } });
    fireEvent.change(within(form).getByLabelText(/E-mail/), { target: { value: 'b@acme.test' } });
    fireEvent.change(within(form).getByLabelText(/Password/), { target: { value: 'another one' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Add user' }));
    expect((await screen.findByRole('alert')).textContent).toContain('A user with that username already exists');
  });

  it('deactivates a user after a confirmation', async () => {
    const gateway = authService();
    renderPage(<Users />, gateway.api);
    fireEvent.click(await screen.findByRole('switch', { name: 'bob may sign in' }));
    const dialog = await screen.findByRole('dialog');
    expect(dialog.textContent).toContain('every session of theirs ends');
    expect(gateway.sent('PUT', '/api/tenants/users/7')).toHaveLength(0);
    fireEvent.click(within(dialog).getByRole('button', { name: 'Deactivate' }));
    await waitFor(() => expect(gateway.sent('PUT', '/api/tenants/users/7')).toHaveLength(1));
    expect(gateway.sent('PUT', '/api/tenants/users/7')[0].body).toEqual({ is_active: false });
    await waitFor(() => expect((screen.getByRole('switch', { name: 'bob may sign in' }) as HTMLInputElement).checked).toBe(false));
  });

  it('deletes an organization after a confirmation', async () => {
    const gateway = authService();
    renderPage(<Users />, gateway.api);
    expect((await screen.findByTestId('organization-Ops')).textContent).toContain('alice');
    fireEvent.click(screen.getByRole('button', { name: 'Delete organization Ops' }));
    fireEvent.click(within(await screen.findByRole('dialog')).getByRole('button', { name: 'Delete organization' }));
    expect(await screen.findByText('No organizations yet.')).toBeTruthy();
    expect(gateway.sent('DELETE', '/api/tenants/organizations/o1')).toHaveLength(1);
  });

  it('edits names and e-mail without a confirmation, sending only what changed', async () => {
    const gateway = authService();
    renderPage(<Users />, gateway.api);
    fireEvent.click(await screen.findByRole('button', { name: 'Edit bob' }));
    const form = await screen.findByRole('form', { name: 'Edit bob' });
    await waitFor(() => expect((within(form).getByLabelText(/^Permissions/) as HTMLTextAreaElement).value).toBe('container:read\nimage:read\nupdate:read'));
    fireEvent.change(within(form).getByLabelText(/^First name/), { target: { value: 'Robert' } });
    fireEvent.change(within(form).getByLabelText(/^Last name/), { target: { value: 'Jones' } });
    fireEvent.change(within(form).getByLabelText(/^E-mail/), { target: { value: 'taken@acme.test' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Save' }));
    expect((await within(form).findByRole('alert')).textContent).toContain('A user with that e-mail already exists');

    fireEvent.change(within(form).getByLabelText(/^E-mail/), { target: { value: 'robert@acme.test' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(screen.getByTestId('user-bob').textContent).toContain('Robert Jones'));
    expect(gateway.sent('PUT', '/api/tenants/users/7')[1].body).toEqual({ first_name: 'Robert', last_name: 'Jones', email: 'robert@acme.test' });
  });

  it('asks before a role or permission change that ends the user\'s tokens', async () => {
    const gateway = authService();
    renderPage(<Users />, gateway.api);
    fireEvent.click(await screen.findByRole('button', { name: 'Edit bob' }));
    const form = await screen.findByRole('form', { name: 'Edit bob' });
    const permissions = within(form).getByLabelText(/^Permissions/) as HTMLTextAreaElement;
    await waitFor(() => expect(permissions.value).not.toBe(''));
    fireEvent.change(permissions, { target: { value: 'container:read, container:write\nupdate:read' } });
    fireEvent.click(within(form).getByRole('combobox', { name: 'Role' }));
    // The add form's role list is in the page too; the dialog's is the last one opened.
    fireEvent.click((await screen.findAllByRole('option', { name: 'operator', hidden: true })).at(-1)!);
    fireEvent.click(within(form).getByRole('button', { name: 'Save' }));
    expect((await screen.findByTestId('removed-permissions')).textContent).toBe('image:read');
    expect(gateway.sent('PUT', '/api/tenants/users/7')).toHaveLength(0);
    fireEvent.click(screen.getByRole('button', { name: 'Save and end their tokens' }));
    await waitFor(() => expect(gateway.sent('PUT', '/api/tenants/users/7')).toHaveLength(1));
    expect(gateway.sent('PUT', '/api/tenants/users/7')[0].body).toEqual({ role: 'operator', permissions: ['container:read', 'container:write', 'update:read'] });
  });
});
