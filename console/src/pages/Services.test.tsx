import { fireEvent, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { BASE, fakeGateway, instance, renderPage, setUpDom } from '../testing/harness';
import { Planned } from './Planned';
import { ServicePageView } from './Services';

setUpDom();

const queue = instance('Queue', 'jobs');
const storage = { ...instance('S3Storage', 'files'), id: '99999999-2222-3333-4444-555555555555' };

function gateway() {
  return fakeGateway({
    'GET /api/services': () => [queue, storage],
    [`GET /api/services/${queue.id}`]: () => queue,
    [`GET /api/services/${storage.id}`]: () => storage,
    [`GET ${BASE('queue')}/queues`]: () => ({ queues: [], count: 0 }),
    'GET /api/webhooks': () => ({ webhooks: [], count: 0 }),
    [`GET /api/metrics/instances/${queue.id}`]: () => ({
      instanceId: queue.id,
      periodSeconds: 60,
      points: [
        { minute: '2026-12-07T10:00:00Z', requests: 0, clientErrors: 0, serverErrors: 0, p50Ms: null, p95Ms: null, p99Ms: null },
        { minute: '2026-12-07T10:01:00Z', requests: 8, clientErrors: 2, serverErrors: 0, p50Ms: 3, p95Ms: 12.4, p99Ms: 20 },
      ],
    }),
  });
}

describe('service pages', () => {
  it('offers only instances of the page type and opens the chosen one by its address', async () => {
    const navigate = renderPage(<ServicePageView id="queues" />, gateway().api);
    fireEvent.click(await screen.findByRole('combobox', { name: 'Queue (SQS) instance' }));
    const jobs = await screen.findByRole('option', { name: 'jobs (running)', hidden: true });
    expect(screen.queryByRole('option', { name: /files/, hidden: true })).toBeNull();
    fireEvent.click(jobs);
    expect(navigate).toHaveBeenCalledWith({ page: 'service', service: 'queues', instanceId: queue.id });
  });

  it('shows the chosen instance by its address', async () => {
    const api = gateway().api;
    renderPage(<ServicePageView id="queues" instanceId={queue.id} />, api);
    expect(await screen.findByRole('heading', { name: 'Queues of jobs' })).toBeTruthy();
    expect(await screen.findByText('No queues yet.')).toBeTruthy();
  });

  it("charts the chosen instance's last hour of requests, errors and latency from the gateway", async () => {
    const g = gateway();
    renderPage(<ServicePageView id="queues" instanceId={queue.id} />, g.api);
    expect(await screen.findByRole('heading', { name: 'Traffic of jobs' })).toBeTruthy();
    expect((await screen.findByText(/^Last hour:/)).textContent).toBe('Last hour: 8 requests, 2 errors (25.0 %: 2 4xx, 0 5xx), p95 at most 12 ms.');
    expect(screen.getByRole('img', { name: /^Requests a minute/ }).getAttribute('aria-label')).toBe(
      'Requests a minute: requests 8 now; peak 8 in the last 2 minutes',
    );
    expect(screen.getByRole('img', { name: /^Errors a minute/ }).getAttribute('aria-label')).toContain('4xx 2, 5xx 0 now');
    expect(screen.getByRole('img', { name: /^Latency/ }).getAttribute('aria-label')).toContain('p50 3, p95 12, p99 20 now');
    expect(g.sent('GET', `/api/metrics/instances/${queue.id}`)[0].query.get('minutes')).toBe('60');
  });

  it('does not show a storage instance on the queues page', async () => {
    renderPage(<ServicePageView id="queues" instanceId={storage.id} />, gateway().api);
    expect((await screen.findByRole('alert')).textContent).toContain('files is not a Queue (SQS) instance');
    expect(screen.queryByRole('heading', { name: /Queues of/ })).toBeNull();
  });

  it('shows tenant-wide pages without an instance, and planned pages as planned', async () => {
    renderPage(<ServicePageView id="webhooks" />, gateway().api);
    expect(await screen.findByText('No endpoints yet.')).toBeTruthy();
  });

  it('follows a platform admin to another tenant: the page asks its service, with no notice in the way', async () => {
    const g = gateway();
    renderPage(<ServicePageView id="webhooks" />, g.api, vi.fn(), vi.fn(), { platformAdmin: true, homeDomain: 'default', tenantDomain: 'acme' });
    expect(await screen.findByText('No endpoints yet.')).toBeTruthy();
    expect(screen.queryByRole('alert')).toBeNull();
    expect(g.sent('GET', '/api/webhooks')).toHaveLength(1);
  });

  it('says what a page still to come will do', () => {
    renderPage(<Planned id="containers" />, gateway().api);
    expect(screen.getByText('This page will let you:')).toBeTruthy();
    expect(screen.getByText('Rollback')).toBeTruthy();
  });
});
