import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BASE, fakeGateway, instance, json, renderPage, setUpDom } from '../../testing/harness';
import { Queues } from './Queues';

setUpDom();
const Q = BASE('queue');

/** queue-service for one instance: queues by name, and the messages of "jobs". */
function queueService() {
  const queues = [{ queueName: 'jobs', queueType: 'Standard', createdAt: '2026-12-06T10:00:00Z' }];
  const messages = [{ messageId: 'm1', receiptHandle: 'rh/1+', messageBody: 'hello', receiveCount: 1, sentAt: '2026-12-06T10:00:00Z' }];
  return fakeGateway({
    [`GET ${Q}/queues`]: () => ({ queues, count: queues.length }),
    [`POST ${Q}/queues`]: ({ body }) => {
      const b = body as { queueName: string; queueType: string };
      if (queues.some((q) => q.queueName === b.queueName)) {
        return json({ error: { code: 'QueueNameExists', message: `A queue named ${b.queueName} exists with other settings` } }, 409);
      }
      queues.push({ ...b, createdAt: '2026-12-06T11:00:00Z' });
      return json(b, 201);
    },
    [`GET ${Q}/queues/jobs`]: () => ({ ...queues[0], approximateNumberOfMessages: messages.length, approximateNumberOfMessagesNotVisible: 0 }),
    [`POST ${Q}/queues/jobs/messages`]: () => json({ messageId: 'm2' }, 201),
    [`GET ${Q}/queues/jobs/messages`]: () => ({ messages, count: messages.length }),
    [`DELETE ${Q}/queues/jobs/messages/rh%2F1%2B`]: () => undefined,
    [`POST ${Q}/queues/jobs/purge`]: () => undefined,
  });
}

afterEach(() => vi.useRealTimers());

describe('Queues', () => {
  it('charts the depth of an open queue, read again every 15 s', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const gateway = queueService();
    renderPage(<Queues instance={instance('Queue')} />, gateway.api);
    fireEvent.click(await screen.findByRole('button', { name: 'jobs' }));
    const chart = await screen.findByRole('img', { name: /^Depth of jobs/ });
    await waitFor(() => expect(chart.getAttribute('aria-label')).toBe('Depth of jobs: available 1, in flight 0 now; peak 1 in the last 1 reading'));
    const reads = gateway.sent('GET', `${Q}/queues/jobs`).length;

    await act(() => vi.advanceTimersByTimeAsync(15_000));
    await waitFor(() => expect(gateway.sent('GET', `${Q}/queues/jobs`).length).toBe(reads + 1));
    await waitFor(() => expect(chart.getAttribute('aria-label')).toContain('in the last 2 readings'));
    expect(chart.querySelectorAll('polyline')).toHaveLength(2);
  });

  it('creates a FIFO queue with its .fifo suffix and lists it', async () => {
    const gateway = queueService();
    renderPage(<Queues instance={instance('Queue')} />, gateway.api);
    await screen.findByTestId('queue-jobs');

    fireEvent.change(screen.getByLabelText(/Queue name/), { target: { value: 'orders' } });
    fireEvent.click(screen.getByRole('combobox', { name: 'Queue type' }));
    fireEvent.click(await screen.findByRole('option', { name: 'FIFO', hidden: true }));
    fireEvent.click(screen.getByRole('button', { name: 'Create queue' }));

    await screen.findByTestId('queue-orders.fifo');
    expect(gateway.sent('POST', `${Q}/queues`)[0].body).toEqual({ queueName: 'orders.fifo', queueType: 'FIFO' });
  });

  it('shows the API message when a queue name is taken', async () => {
    const gateway = queueService();
    renderPage(<Queues instance={instance('Queue')} />, gateway.api);
    await screen.findByTestId('queue-jobs');
    fireEvent.change(screen.getByLabelText(/Queue name/), { target: { value: 'jobs' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create queue' }));
    expect((await screen.findByRole('alert')).textContent).toContain('A queue named jobs exists with other settings');
  });

  it('sends, peeks without hiding, and deletes a message by its receipt handle', async () => {
    const gateway = queueService();
    renderPage(<Queues instance={instance('Queue')} />, gateway.api);
    fireEvent.click(await screen.findByRole('button', { name: 'jobs' }));
    expect((await screen.findByText(/1 available/)).textContent).toContain('0 in flight');

    fireEvent.change(screen.getByLabelText(/Message body/), { target: { value: 'hi there' } });
    fireEvent.click(screen.getByRole('button', { name: 'Send' }));
    await screen.findByText('m2');
    expect(gateway.sent('POST', `${Q}/queues/jobs/messages`)[0].body).toEqual({ messageBody: 'hi there' });

    fireEvent.click(screen.getByRole('button', { name: 'Peek' }));
    const table = await screen.findByRole('table', { name: 'Messages of jobs' });
    expect(within(table).getByText('hello')).toBeTruthy();
    const receive = gateway.sent('GET', `${Q}/queues/jobs/messages`)[0].query;
    expect(receive.get('visibilityTimeoutSeconds')).toBe('0');
    expect(receive.get('maxNumberOfMessages')).toBe('10');

    fireEvent.click(within(table).getByRole('button', { name: 'Delete message m1' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Delete message' }));
    await waitFor(() => expect(screen.queryByText('hello')).toBeNull());
    expect(gateway.sent('DELETE', `${Q}/queues/jobs/messages/rh%2F1%2B`)).toHaveLength(1);
  });

  it('purges only after the confirmation', async () => {
    const gateway = queueService();
    renderPage(<Queues instance={instance('Queue')} />, gateway.api);
    fireEvent.click(await screen.findByRole('button', { name: 'jobs' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Purge' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Cancel' }));
    expect(gateway.sent('POST', `${Q}/queues/jobs/purge`)).toHaveLength(0);

    fireEvent.click(screen.getByRole('button', { name: 'Purge' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Purge queue' }));
    await waitFor(() => expect(gateway.sent('POST', `${Q}/queues/jobs/purge`)).toHaveLength(1));
  });
});
