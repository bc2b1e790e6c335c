import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { deltas } from '../../logic/series';
import { untilAvailable } from '../../api/rds';
import { BASE, fakeGateway, instance, json, renderPage, setUpDom } from '../../testing/harness';
import { RdsDatabase } from './Rds';

setUpDom();
const R = BASE('rdsdatabase');

function rdsService() {
  let commits = 100;
  return fakeGateway({
    // Each reading finds 7 more commits than the last.
    [`GET ${R}/metrics`]: () => ({
      connections: 3,
      active_connections: 1,
      idle_connections: 2,
      max_connections: 20,
      xact_commit: (commits += 7),
      xact_rollback: 1,
      cache_hit_ratio: 0.987,
    }),
    [`GET ${R}/info`]: () => ({
      name: 'shop',
      engine: 'postgresql',
      version: '17.2',
      status: 'available',
      sizeBytes: 7_500_000,
      connections: { current: 1, max: 20 },
      endpoint: { host: 'db.cumulus.test', port: 5432, database: 'rds_abc', username: 'rds_abc' },
      statementTimeoutMs: 30000,
    }),
    [`GET ${R}/credentials`]: () => ({ password: 'pw-1', uri: 'postgresql://rds_abc@db/rds_abc', jdbcUrl: 'jdbc:postgresql://db/rds_abc' }),
    [`POST ${R}/query`]: () => ({
      columns: [
        { name: 'id', type: 'int4' },
        { name: 'tags', type: 'jsonb' },
        { name: 'note', type: 'text' },
      ],
      rows: [{ id: 1, tags: { a: 1 }, note: null }],
      rowCount: 1,
      rowsAffected: 0,
      truncated: false,
      executionTimeMs: 3,
    }),
    [`GET ${R}/backups`]: () => ({
      backups: [{ backupId: 'b1', status: 'available', sizeBytes: 2048, retentionDays: 7, createdAt: '2026-12-06T09:00:00Z' }],
      count: 1,
    }),
    [`POST ${R}/backups/b1/restore`]: ({ body }) => ({
      backupId: 'b1',
      targetServiceId: (body as { targetServiceId?: string }).targetServiceId ?? 'self',
      status: 'restored',
      durationMs: 412.3,
    }),
    [`GET /api/services`]: () => [
      { ...instance('RDSDatabase', 'shop') },
      { ...instance('RDSDatabase', 'ledger'), id: 'other-id' },
      { ...instance('Queue', 'jobs'), id: 'queue-id' },
    ],
    [`POST /api/services`]: ({ body }) => json({ ...instance('RDSDatabase', (body as { serviceName: string }).serviceName), id: 'new-id', status: 'provisioning', apiKey: 'k' }, 201),
    [`GET /api/rdsdatabase/acme/new-id/info`]: () => ({ status: 'available' }),
  });
}

async function restoreB1() {
  const row = await screen.findByTestId('backup-b1');
  fireEvent.click(within(row).getByRole('button', { name: /Restore backup/ }));
  fireEvent.click(await screen.findByRole('button', { name: 'Restore' }));
}

afterEach(() => vi.useRealTimers());

describe('Relational database', () => {
  it('turns cumulative counters into the increase between readings', () => {
    expect(deltas([[10, 1], [17, 1], [3, 1]])).toEqual([[7, 0], [0, 0]]);
    expect(deltas([[5]])).toEqual([]);
  });

  it('charts connections and the transactions between readings, read every 15 s', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const gateway = rdsService();
    renderPage(<RdsDatabase instance={instance('RDSDatabase')} />, gateway.api);
    expect((await screen.findByText(/connections · cache hit ratio/)).textContent).toBe('3 of 20 connections · cache hit ratio 98.7 %');
    const connections = screen.getByRole('img', { name: /^Connections/ });
    expect(connections.getAttribute('aria-label')).toBe('Connections: active 1, idle 2 now; peak 2 in the last 1 reading');
    expect(screen.getByRole('img', { name: /^Transactions/ }).getAttribute('aria-label')).toBe('Transactions between readings: no sample yet');

    await act(() => vi.advanceTimersByTimeAsync(15_000));
    await waitFor(() =>
      expect(screen.getByRole('img', { name: /^Transactions/ }).getAttribute('aria-label')).toBe(
        'Transactions between readings: commits 7, rollbacks 0 now; peak 7 in the last 1 reading',
      ),
    );
  });

  it('shows how to connect, and the password only when asked', async () => {
    const gateway = rdsService();
    renderPage(<RdsDatabase instance={instance('RDSDatabase')} />, gateway.api);
    expect(await screen.findByText('db.cumulus.test')).toBeTruthy();
    expect(screen.getByText('1 of 20')).toBeTruthy();
    expect(gateway.sent('GET', `${R}/credentials`)).toHaveLength(0);

    fireEvent.click(screen.getByRole('button', { name: 'Show password' }));
    expect((await screen.findByTestId('secret-Password')).textContent).toBe('pw-1');
  });

  it('runs a statement with its parameters and shows the rows', async () => {
    const gateway = rdsService();
    renderPage(<RdsDatabase instance={instance('RDSDatabase')} />, gateway.api);
    fireEvent.change(screen.getByLabelText(/Statement/), { target: { value: 'SELECT * FROM t WHERE id = ?' } });
    fireEvent.change(screen.getByLabelText(/Parameters/), { target: { value: '[1]' } });
    fireEvent.click(screen.getByRole('button', { name: 'Run' }));

    const table = await screen.findByRole('table', { name: 'Result' });
    expect(within(table).getByText('{"a":1}')).toBeTruthy();
    expect(within(table).getByText('NULL')).toBeTruthy();
    expect(screen.getByText(/1 rows in 3 ms/)).toBeTruthy();
    expect(gateway.sent('POST', `${R}/query`)[0].body).toEqual({
      query: 'SELECT * FROM t WHERE id = ?',
      parameters: [1],
      readOnly: true,
      maxRows: 100,
    });
  });

  it('refuses parameters that are not a JSON array before calling the API', async () => {
    const gateway = rdsService();
    renderPage(<RdsDatabase instance={instance('RDSDatabase')} />, gateway.api);
    fireEvent.change(screen.getByLabelText(/Parameters/), { target: { value: '{"a":1}' } });
    fireEvent.click(screen.getByRole('button', { name: 'Run' }));
    expect((await screen.findByRole('alert')).textContent).toContain('must be a JSON array');
    expect(gateway.sent('POST', `${R}/query`)).toHaveLength(0);
  });

  it('lists backups and restores one after the confirmation', async () => {
    const gateway = rdsService();
    renderPage(<RdsDatabase instance={instance('RDSDatabase')} />, gateway.api);
    const row = await screen.findByTestId('backup-b1');
    expect(row.textContent).toContain('2.0 KiB');
    fireEvent.click(within(row).getByRole('button', { name: /Restore backup/ }));
    expect(gateway.sent('POST', `${R}/backups/b1/restore`)).toHaveLength(0);
    fireEvent.click(await screen.findByRole('button', { name: 'Restore' }));
    await waitFor(() => expect(gateway.sent('POST', `${R}/backups/b1/restore`)).toHaveLength(1));
  });

  it('restores a backup into another relational database instance of the tenant', async () => {
    const gateway = rdsService();
    renderPage(<RdsDatabase instance={instance('RDSDatabase', 'shop')} />, gateway.api);
    fireEvent.click(screen.getByRole('combobox', { name: 'Restore into' }));
    expect(screen.queryByRole('option', { name: 'jobs', hidden: true })).toBeNull();
    fireEvent.click(await screen.findByRole('option', { name: 'ledger', hidden: true }));
    await restoreB1();
    expect((await screen.findByText(/^Restored into/)).textContent).toBe('Restored into ledger in 412 ms.');
    expect(gateway.sent('POST', `${R}/backups/b1/restore`)[0].body).toEqual({ targetServiceId: 'other-id' });
  });

  it('restores a backup into a new instance once its database answers', async () => {
    const gateway = rdsService();
    renderPage(<RdsDatabase instance={instance('RDSDatabase', 'shop')} />, gateway.api);
    fireEvent.click(screen.getByRole('combobox', { name: 'Restore into' }));
    fireEvent.click(await screen.findByRole('option', { name: 'a new instance…', hidden: true }));
    fireEvent.change(screen.getByLabelText(/New instance name/), { target: { value: 'shop-copy' } });
    await restoreB1();
    expect((await screen.findByText(/^Restored into/)).textContent).toBe('Restored into shop-copy in 412 ms.');
    expect(gateway.sent('POST', '/api/services')[0].body).toEqual({ serviceName: 'shop-copy', serviceType: 'rdsdatabase' });
    expect(gateway.sent('GET', '/api/rdsdatabase/acme/new-id/info')).toHaveLength(1);
    expect(gateway.sent('POST', `${R}/backups/b1/restore`)[0].body).toEqual({ targetServiceId: 'new-id' });
  });

  it('waits while a new instance is provisioned (503), and not past another failure', async () => {
    let asked = 0;
    const answers = [503, 503, 200];
    const gateway = fakeGateway({
      [`GET ${R}/info`]: () => {
        const status = answers[asked++];
        return status === 200 ? { status: 'available' } : json({ error: { code: 'ServiceNotReady', message: 'provisioning' } }, status);
      },
    });
    const slept: number[] = [];
    const sleep = async (ms: number) => void slept.push(ms);
    expect((await untilAvailable(gateway.api, R, { sleep, everyMs: 10 })).status).toBe('available');
    expect(slept).toEqual([10, 10]);

    const refusing = fakeGateway({ [`GET ${R}/info`]: () => json({ error: { code: 'AccessDenied', message: 'no' } }, 403) });
    await expect(untilAvailable(refusing.api, R, { sleep })).rejects.toThrow('no');
    expect(refusing.sent('GET', `${R}/info`)).toHaveLength(1);
  });
});
