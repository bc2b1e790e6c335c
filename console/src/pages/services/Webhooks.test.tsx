import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { parseEvents, type Webhook } from '../../api/webhooks';
import { fakeGateway, json, renderPage, setUpDom } from '../../testing/harness';
import { Webhooks } from './Webhooks';

setUpDom();

const hook = { id: 'w1', url: 'https://hooks.test/in', events: ['*'], enabled: false, disabledReason: 'failing for 5 days', createdAt: '2026-12-06T10:00:00Z' };

function integrationService() {
  const hooks: Webhook[] = [hook];
  return fakeGateway({
    'GET /api/webhooks': () => ({ webhooks: hooks, count: hooks.length }),
    'POST /api/webhooks': ({ body }) => {
      const b = body as { url: string; events: string[] };
      const created = { ...hook, id: 'w2', url: b.url, events: b.events, enabled: true, disabledReason: null };
      hooks.push(created);
      return json({ ...created, secret: 'whsec_c2VjcmV0' }, 201);
    },
    'PATCH /api/webhooks/w1': ({ body }) => ({ ...hook, ...(body as object) }),
    'GET /api/webhooks/w1/attempts': () => ({
      attempts: [{ id: 'a1', messageId: 'msg_1', eventType: 'object.created', attempt: 3, statusCode: 500, latencyMs: 20, createdAt: '2026-12-06T10:01:00Z' }],
      count: 1,
    }),
    'POST /api/webhooks/w1/replay': () => json({ replayed: 1 }, 202),
  });
}

describe('Webhooks', () => {
  it('reads the events a person typed', () => {
    expect(parseEvents(' object.*, service.created  ')).toEqual(['object.*', 'service.created']);
    expect(parseEvents('')).toEqual(['*']);
  });

  it('adds an endpoint and shows its signing secret once', async () => {
    const gateway = integrationService();
    renderPage(<Webhooks />, gateway.api);
    await screen.findByTestId('webhook-https://hooks.test/in');
    fireEvent.change(screen.getByLabelText(/Endpoint URL/), { target: { value: 'https://other.test/h' } });
    fireEvent.change(screen.getByLabelText(/Events/), { target: { value: 'object.*' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add endpoint' }));
    const dialog = await screen.findByRole('dialog');
    expect(within(dialog).getByTestId('secret-Signing secret').textContent).toBe('whsec_c2VjcmV0');
    expect(gateway.sent('POST', '/api/webhooks')[0].body).toEqual({
      url: 'https://other.test/h',
      events: ['object.*'],
      description: '',
      enabled: true,
    });
    await screen.findByTestId('webhook-https://other.test/h');
  });

  it('says why an endpoint is disabled and enables it again', async () => {
    const gateway = integrationService();
    renderPage(<Webhooks />, gateway.api);
    expect((await screen.findByTestId('webhook-https://hooks.test/in')).textContent).toContain('failing for 5 days');
    fireEvent.click(screen.getByRole('switch', { name: 'Deliver to https://hooks.test/in' }));
    await waitFor(() => expect(gateway.sent('PATCH', '/api/webhooks/w1')).toHaveLength(1));
    expect(gateway.sent('PATCH', '/api/webhooks/w1')[0].body).toEqual({ enabled: true });
  });

  it('lists delivery attempts and replays a message', async () => {
    const gateway = integrationService();
    renderPage(<Webhooks />, gateway.api);
    fireEvent.click(await screen.findByRole('button', { name: 'https://hooks.test/in' }));
    const table = await screen.findByRole('table', { name: 'Delivery attempts to https://hooks.test/in' });
    expect(within(table).getByText('500')).toBeTruthy();
    fireEvent.click(within(table).getByRole('button', { name: 'Replay message msg_1' }));
    expect((await screen.findByText(/is on its way again/)).textContent).toContain('msg_1');
    expect(gateway.sent('POST', '/api/webhooks/w1/replay')[0].body).toEqual({ messageId: 'msg_1' });
  });
});
