import { act, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { GrowthLog, growthText, historyReadings, spanText, storageGrowth } from '../../logic/growth';
import { fakeGateway, renderPage, setUpDom } from '../../testing/harness';
import { UsageCard } from './UsageCard';

setUpDom();

afterEach(() => {
  vi.useRealTimers();
  storageGrowth.clear();
});

const MiB = 1024 * 1024;

describe('storage growth', () => {
  it('keeps the newest readings per tenant and forgets them all on sign-out', () => {
    const log = new GrowthLog();
    log.add('acme', { at: 0, bytes: 1 }, 2);
    log.add('acme', { at: 1, bytes: 2 }, 2);
    log.add('other', { at: 1, bytes: 9 }, 2);
    expect(log.add('acme', { at: 2, bytes: 3 }, 2).map((r) => r.bytes)).toEqual([2, 3]);
    expect(log.readings('other')).toEqual([{ at: 1, bytes: 9 }]);
    log.clear();
    expect(log.readings('acme')).toEqual([]);
  });

  it('says the change between the first and the latest reading in words', () => {
    expect(growthText([{ at: 0, bytes: MiB }])).toBeNull();
    expect(growthText([{ at: 0, bytes: MiB }, { at: 12 * 60_000, bytes: 2.5 * MiB }])).toBe('+1.5 MiB in 12 min');
    expect(growthText([{ at: 0, bytes: 2048 }, { at: 5_000, bytes: 1024 }])).toBe('−1.0 KiB in under a minute');
    expect(growthText([{ at: 0, bytes: 7 }, { at: 180_000, bytes: 7 }])).toBe('no change in 3 min');
  });

  it('says spans in minutes, hours or days', () => {
    expect(spanText(119 * 60_000)).toBe('119 min');
    expect(spanText(5 * 3_600_000)).toBe('5 h');
    expect(spanText(3 * 86_400_000)).toBe('3 d');
  });

  it('ends the stored hourly history at the present reading', () => {
    const samples = [
      { hour: '2026-12-07T08:00:00Z', stored_bytes: 10, objects: 1, buckets: 1 },
      { hour: '2026-12-07T09:00:00Z', stored_bytes: 30, objects: 2, buckets: 1 },
    ];
    const nine = Date.parse('2026-12-07T09:00:00Z');
    expect(historyReadings(samples, { at: nine + 60_000, bytes: 40 }).map((r) => r.bytes)).toEqual([10, 30, 40]);
    expect(historyReadings(samples, { at: nine, bytes: 40 }).map((r) => r.bytes)).toEqual([10, 30]);
    expect(historyReadings([], null)).toEqual([]);
  });

  it('charts the hourly history auth-service stored, up to now', async () => {
    const now = Date.now();
    const hour = (h: number) => new Date(Math.floor(now / 3_600_000) * 3_600_000 - h * 3_600_000).toISOString();
    const gateway = fakeGateway({
      'GET /api/usage': () => ({ tenantId: 'acme', plan: 'pro', quotas: { stored_bytes: 100 * MiB }, used: { stored_bytes: 4 * MiB } }),
      'GET /api/tenants/usage-history/': () => ({
        status: 'success',
        message: 'Success',
        data: {
          tenant_id: 'acme',
          days: 7,
          samples: [
            { hour: hour(50), stored_bytes: MiB, objects: 1, buckets: 1 },
            { hour: hour(2), stored_bytes: 2 * MiB, objects: 2, buckets: 1 },
          ],
        },
      }),
    });
    renderPage(<UsageCard />, gateway.api);
    const chart = await screen.findByRole('img', { name: /^Stored data over 7 days/ });
    await waitFor(() => expect(chart.getAttribute('aria-label')).toBe('Stored data over 7 days: Stored 4.0 MiB now; peak 4.0 MiB in the last 3 samples'));
    expect(screen.getByTestId('storage-history').textContent).toBe('+3.0 MiB in 2 d');
    expect(gateway.sent('GET', '/api/tenants/usage-history/')[0].query.get('days')).toBe('7');
  });

  it('charts the stored bytes of GET /api/usage, read again every minute', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    let stored = MiB;
    const gateway = fakeGateway({
      'GET /api/usage': () => ({ tenantId: 'acme', plan: 'pro', quotas: { stored_bytes: 100 * MiB }, used: { stored_bytes: stored } }),
    });
    renderPage(<UsageCard />, gateway.api);
    const chart = await screen.findByRole('img', { name: /^Storage growth this session/ });
    expect(chart.getAttribute('aria-label')).toBe('Storage growth this session: Stored 1.0 MiB now; peak 1.0 MiB in the last 1 reading');

    stored = 3 * MiB;
    await act(() => vi.advanceTimersByTimeAsync(60_000));
    await waitFor(() => expect(chart.getAttribute('aria-label')).toContain('Stored 3.0 MiB now; peak 3.0 MiB in the last 2 readings'));
    expect(gateway.sent('GET', '/api/usage')).toHaveLength(2);
    expect(screen.getByTestId('storage-growth').textContent).toBe('+2.0 MiB in 1 min');
    expect(screen.getByLabelText('Stored data: 3.0 MiB of 100 MiB')).toBeTruthy();
  });

  it('keeps the session readings when Home is opened again', async () => {
    storageGrowth.add('acme', { at: Date.now() - 120_000, bytes: 0 });
    const gateway = fakeGateway({
      'GET /api/usage': () => ({ tenantId: 'acme', plan: 'pro', quotas: { stored_bytes: 10 * MiB }, used: { stored_bytes: MiB } }),
    });
    renderPage(<UsageCard />, gateway.api);
    const chart = await screen.findByRole('img', { name: /^Storage growth this session/ });
    expect(chart.getAttribute('aria-label')).toContain('in the last 2 readings');
    expect(screen.getByTestId('storage-growth').textContent).toBe('+1.0 MiB in 2 min');
  });
});
