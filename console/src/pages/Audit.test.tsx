import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { AuditEntry } from '../api/tenant';
import { filterAudit } from '../logic/audit';
import { fakeGateway, json, renderPage, setUpDom } from '../testing/harness';
import { Audit } from './Audit';

setUpDom();

const entry = (id: number, action: string, resource: string, user: string, timestamp: string, changes: unknown = null): AuditEntry => ({
  id,
  action,
  resource_type: resource,
  resource_id: `${resource}-${id}`,
  user: { id, username: user },
  timestamp,
  ip_address: '10.0.0.1',
  changes,
});
const entries = [
  entry(3, 'DELETE', 'api_key', 'alice', '2026-12-06T12:00:00Z'),
  entry(2, 'CREATE', 'service', 'bob', '2026-12-05T12:00:00Z', { serviceName: 'jobs' }),
  entry(1, 'LOGIN', 'user', 'Alice', '2026-12-01T08:00:00Z'),
];

describe('Audit log', () => {
  it('narrows the entries by action, resource, user, text and days', () => {
    expect(filterAudit(entries, {}).map((e) => e.id)).toEqual([3, 2, 1]);
    expect(filterAudit(entries, { action: 'CREATE' }).map((e) => e.id)).toEqual([2]);
    expect(filterAudit(entries, { resourceType: 'api_key' }).map((e) => e.id)).toEqual([3]);
    expect(filterAudit(entries, { user: ' alice' }).map((e) => e.id)).toEqual([3, 1]);
    expect(filterAudit(entries, { text: 'JOBS' }).map((e) => e.id)).toEqual([2]);
    expect(filterAudit(entries, { from: '2026-12-05', to: '2026-12-05' }).map((e) => e.id)).toEqual([2]);
    expect(filterAudit(entries, { from: '2026-12-06', user: 'bob' })).toEqual([]);
  });

  it('loads the newest entries and filters them on the page', async () => {
    const gateway = fakeGateway({ 'GET /api/tenants/audit-logs': () => ({ status: 'success', data: { results: entries } }) });
    renderPage(<Audit />, gateway.api);
    expect((await screen.findByRole('status')).textContent).toBe('3 of the newest 3 entries');
    expect(gateway.sent('GET', '/api/tenants/audit-logs')[0].query.get('limit')).toBe('200');
    fireEvent.change(screen.getByLabelText('User'), { target: { value: 'bob' } });
    expect(screen.getByRole('status').textContent).toBe('1 of the newest 3 entries');
    expect(screen.getByRole('table', { name: 'Audit entries' }).textContent).toContain('service-2');
  });

  it('tells a user who is not a tenant admin why there is nothing', async () => {
    const gateway = fakeGateway({
      'GET /api/tenants/audit-logs': () => json({ status: 'failure', error: 'Tenant admin role required' }, 403),
    });
    renderPage(<Audit />, gateway.api);
    await waitFor(() => expect(screen.getByRole('alert').textContent).toContain('Tenant admin role required'));
  });
});
