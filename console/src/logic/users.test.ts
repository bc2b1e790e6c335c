import { describe, expect, it } from 'vitest';
import type { TenantUser } from '../api/tenant';
import { formOfUser, parsePermissions, planUserChange } from './users';

const bob: TenantUser = { id: 7, username: 'bob', email: 'bob@acme.test', first_name: 'Bob', last_name: null, role: 'viewer', is_active: true };
const before = ['container:read', 'image:read'];

describe('user changes', () => {
  it('sends only what changed, and knows what ends the tokens', () => {
    const form = formOfUser(bob, before);
    expect(planUserChange(bob, before, form)).toEqual({ change: {}, endsTokens: false, removed: [] });
    expect(planUserChange(bob, before, { ...form, lastName: ' Smith ' }).change).toEqual({ last_name: 'Smith' });
    // More permissions keep the tokens; one taken away, or a new role, ends them.
    expect(planUserChange(bob, before, { ...form, permissions: 'image:read,container:read image:write' })).toMatchObject({ endsTokens: false, removed: [] });
    expect(planUserChange(bob, before, { ...form, permissions: 'image:read' })).toMatchObject({ endsTokens: true, removed: ['container:read'] });
    expect(planUserChange(bob, before, { ...form, role: 'admin' })).toEqual({ change: { role: 'admin' }, endsTokens: true, removed: [] });
  });

  it('leaves permissions alone when they could not be read', () => {
    const form = formOfUser(bob, null);
    expect(form.permissions).toBeNull();
    expect(planUserChange(bob, null, { ...form, email: 'b@acme.test' }).change).toEqual({ email: 'b@acme.test' });
    expect(parsePermissions(' a:b,\n c:d  a:b ')).toEqual(['a:b', 'c:d']);
  });
});
