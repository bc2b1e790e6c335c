import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { fakeGateway, json, renderPage, setUpDom } from '../../testing/harness';
import { Webhooks } from './Webhooks';

setUpDom();

const hook = { id: 'w1', url: 'https://hooks.test/in', events: ['object.*'], enabled: true, createdAt: '2026-12-06T10:00:00Z' };

function integrationService() {
  let current = { ...hook, headers: { 'X-Team': 'billing' } as Record<string, string> };
  return fakeGateway({
    'GET /api/webhooks': () => ({ webhooks: [{ ...current, headers: undefined }], count: 1 }),
    'GET /api/webhooks/w1': () => current,
    'PATCH /api/webhooks/w1': ({ body }) => {
      const b = body as { events: string[]; headers: Record<string, string> };
      if (b.headers.Connection) {
        return json({ error: { code: 'InvalidRequest', message: 'Connection is a hop-by-hop header' } }, 400);
      }
      current = { ...current, ...b };
      return current;
    },
  });
}

describe('Editing a webhook endpoint', () => {
  it('shows its events and headers as stored and saves the changed ones', async () => {
    const gateway = integrationService();
    renderPage(<Webhooks />, gateway.api);
    fireEvent.click(await screen.findByRole('button', { name: 'Edit https://hooks.test/in' }));
    const form = await screen.findByRole('form', { name: 'Edit endpoint https://hooks.test/in' });
    const headers = within(form).getByLabelText(/^Headers/) as HTMLTextAreaElement;
    await waitFor(() => expect(headers.value).toBe('X-Team: billing'));

    fireEvent.change(within(form).getByLabelText(/^Events/), { target: { value: 'object.created, service.*' } });
    fireEvent.change(headers, { target: { value: 'X-Team: ops\nAuthorization: Bearer t' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Save endpoint' }));
    await waitFor(() => expect(screen.queryByRole('form', { name: 'Edit endpoint https://hooks.test/in' })).toBeNull());
    expect(gateway.sent('PATCH', '/api/webhooks/w1')[0].body).toEqual({
      events: ['object.created', 'service.*'],
      headers: { 'X-Team': 'ops', Authorization: 'Bearer t' },
    });
    expect(await screen.findByText('object.created, service.*')).toBeTruthy();
  });

  it('keeps the form open with the reason when the API or the text refuses the headers', async () => {
    const gateway = integrationService();
    renderPage(<Webhooks />, gateway.api);
    fireEvent.click(await screen.findByRole('button', { name: 'Edit https://hooks.test/in' }));
    const form = await screen.findByRole('form', { name: 'Edit endpoint https://hooks.test/in' });
    fireEvent.change(within(form).getByLabelText(/^Headers/), { target: { value: 'Connection: close' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Save endpoint' }));
    expect((await within(form).findByRole('alert')).textContent).toContain('Connection is a hop-by-hop header');

    fireEvent.change(within(form).getByLabelText(/^Headers/), { target: { value: 'just words' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Save endpoint' }));
    await waitFor(() => expect(within(form).getByRole('alert').textContent).toContain('“just words” is not a header'));
    expect(gateway.sent('PATCH', '/api/webhooks/w1')).toHaveLength(1);
  });
});
