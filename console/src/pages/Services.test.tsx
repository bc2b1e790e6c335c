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
