import { act, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { GrowthLog, growthText, storageGrowth } from '../../logic/growth';
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
