import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { AuditEntry } from '../api/tenant';
import { appendPage, auditQuery, firstPage } from '../logic/audit';
import { fakeGateway, json, renderPage, setUpDom, type Call } from '../testing/harness';
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
const newest = entry(3, 'DELETE', 'API_KEY', 'alice', '2026-12-06T12:00:00Z');
const middle = entry(2, 'CREATE', 'SERVICE_INSTANCE', 'bob', '2026-12-05T12:00:00Z', { serviceName: 'jobs' });
const oldest = entry(1, 'LOGIN', 'SESSION', 'Alice', '2026-12-01T08:00:00Z');
const page = (results: AuditEntry[], next: string | null) => ({ status: 'success', message: 'Success', data: { results, next_cursor: next } });

/** The service's side: two entries a page, the cursor naming where the next page starts. */
const paged = (call: Call) => {
  const cursor = call.query.get('cursor');
  if (cursor === null) {
    return page([newest, middle], 'after-2');
  }
  return cursor === 'after-2' ? page([oldest], null) : json({ status: 'failure', error: 'Invalid cursor', data: null }, 400);
};

describe('Audit log paging', () => {
  it('asks the service for the filters, the page size and the cursor, leaving empty ones out', () => {
    expect(auditQuery({}, 100).toString()).toBe('limit=100');
    expect(
      Object.fromEntries(
        auditQuery({ action: 'CREATE', resourceType: 'USER', user: ' bob ', text: 'jobs', from: '2026-12-01', to: '2026-12-05' }, 50, 'abc'),
      ),
    ).toEqual({ limit: '50', action: 'CREATE', resource_type: 'USER', user: 'bob', q: 'jobs', from: '2026-12-01', to: '2026-12-05', cursor: 'abc' });
    expect(auditQuery({ action: null, user: '  ', text: '' }, 20).toString()).toBe('limit=20');
  });

  it('appends the next page after the shown entries, never listing one twice', () => {
    const first = firstPage({ results: [newest, middle], next_cursor: 'after-2' });
    expect(first).toEqual({ entries: [newest, middle], next: 'after-2' });
    const both = appendPage(first, { results: [middle, oldest], next_cursor: null });
    expect(both.entries.map((e) => e.id)).toEqual([3, 2, 1]);
    expect(both.next).toBeNull();
  });

  it('loads a page, then older ones with "Load more" until the last', async () => {
    const gateway = fakeGateway({ 'GET /api/tenants/audit-logs': paged });
    renderPage(<Audit />, gateway.api);
    expect((await screen.findByRole('status')).textContent).toBe('2 entries shown, older ones can be loaded');
    expect(gateway.sent('GET', '/api/tenants/audit-logs')[0].query.toString()).toBe('limit=100');
    fireEvent.click(screen.getByRole('button', { name: 'Load more' }));
    await waitFor(() => expect(screen.getByRole('status').textContent).toBe('3 entries, all that match'));
    const calls = gateway.sent('GET', '/api/tenants/audit-logs');
    expect(calls[1].query.get('cursor')).toBe('after-2');
    expect(calls[1].query.get('limit')).toBe('100');
    expect(screen.getByRole('table', { name: 'Audit entries' }).textContent).toContain('SESSION-1');
    expect(screen.queryByRole('button', { name: 'Load more' })).toBeNull();
  });

  it('sends the typed filters when applied and starts again from the newest', async () => {
    const gateway = fakeGateway({ 'GET /api/tenants/audit-logs': paged });
    renderPage(<Audit />, gateway.api);
    await screen.findByRole('status');
    fireEvent.click(screen.getByRole('button', { name: 'Load more' }));
    await waitFor(() => expect(gateway.sent('GET', '/api/tenants/audit-logs')).toHaveLength(2));
    fireEvent.change(screen.getByLabelText('User'), { target: { value: 'bob' } });
    fireEvent.change(screen.getByLabelText('Search'), { target: { value: 'jobs' } });
    // Typing alone asks nothing.
    expect(gateway.sent('GET', '/api/tenants/audit-logs')).toHaveLength(2);
    fireEvent.click(screen.getByRole('button', { name: 'Apply filters' }));
    await waitFor(() => expect(gateway.sent('GET', '/api/tenants/audit-logs')).toHaveLength(3));
    const applied = gateway.sent('GET', '/api/tenants/audit-logs')[2].query;
    expect(applied.get('user')).toBe('bob');
    expect(applied.get('q')).toBe('jobs');
    expect(applied.has('cursor')).toBe(false);
    await waitFor(() => expect(screen.getByRole('status').textContent).toBe('2 entries shown, older ones can be loaded'));
  });

  it('shows a refused cursor in words and keeps what was shown', async () => {
    const gateway = fakeGateway({
      'GET /api/tenants/audit-logs': (call) =>
        call.query.has('cursor') ? json({ status: 'failure', error: 'Invalid cursor: send back the next_cursor', data: null }, 400) : page([newest], 'x'),
    });
    renderPage(<Audit />, gateway.api);
    await screen.findByRole('status');
    fireEvent.click(screen.getByRole('button', { name: 'Load more' }));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toContain('Invalid cursor'));
    expect(screen.getByRole('table', { name: 'Audit entries' }).textContent).toContain('API_KEY-3');
  });

  it('tells a user who is not a tenant admin why there is nothing', async () => {
    const gateway = fakeGateway({
      'GET /api/tenants/audit-logs': () => json({ status: 'failure', error: 'Tenant admin role required' }, 403),
    });
    renderPage(<Audit />, gateway.api);
    await waitFor(() => expect(screen.getByRole('alert').textContent).toContain('Tenant admin role required'));
  });
});
