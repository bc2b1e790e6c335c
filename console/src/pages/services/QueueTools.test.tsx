import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { BASE, fakeGateway, instance, json, renderPage, setUpDom } from '../../testing/harness';
import { Queues } from './Queues';

setUpDom();
const Q = BASE('queue');

/** queue-service with "jobs" dead-lettering into "failed", and a redrive of "failed". */
function queueService() {
  const queues = [
    { queueName: 'failed', queueType: 'Standard', createdAt: '2026-12-06T10:00:00Z' },
    { queueName: 'jobs', queueType: 'Standard', deadLetterQueueName: 'failed', maxReceiveCount: 3, createdAt: '2026-12-06T10:00:00Z' },
  ];
  let dead = 4;
  const tasks: object[] = [];
  return fakeGateway({
    [`GET ${Q}/queues`]: () => ({ queues, count: queues.length }),
    [`GET ${Q}/queues/failed`]: () => ({ ...queues[0], approximateNumberOfMessages: dead, approximateNumberOfMessagesNotVisible: 0 }),
    [`GET ${Q}/queues/jobs`]: () => ({ ...queues[1], approximateNumberOfMessages: 4 - dead }),
    [`POST ${Q}/queues/jobs/messages/batch`]: () => ({
      successful: [{ id: 'm1', messageId: 'x1' }],
      failed: [{ id: 'm2', code: 'InvalidMessageContents', message: 'bad character', senderFault: true }],
    }),
    [`GET ${Q}/queues/failed/move-tasks`]: () => ({ tasks, count: tasks.length }),
    [`POST ${Q}/queues/failed/move-tasks`]: () => {
      const task = {
        taskHandle: 'h1',
        status: 'COMPLETED',
        sourceArn: 'arn:aws:sqs:us-east-1:s:failed',
        approximateNumberOfMessagesMoved: dead,
        approximateNumberOfMessagesToMove: dead,
        startedAt: '2026-12-06T11:00:00Z',
      };
      dead = 0;
      tasks.unshift(task);
      return json(task, 201);
    },
  });
}

describe('Queue tools', () => {
  it('sends a batch, one message a line, and shows each entry that failed', async () => {
    const gateway = queueService();
    renderPage(<Queues instance={instance('Queue')} />, gateway.api);
    fireEvent.click(await screen.findByRole('button', { name: 'jobs' }));
    fireEvent.change(await screen.findByLabelText(/^Batch/), { target: { value: 'first\n\n{"n":2}\n' } });
    fireEvent.click(screen.getByRole('button', { name: 'Send batch' }));
    expect((await screen.findByText(/1 sent/)).textContent).toContain('1 failed: m2 bad character');
    expect(gateway.sent('POST', `${Q}/queues/jobs/messages/batch`)[0].body).toEqual({
      entries: [
        { id: 'm1', messageBody: 'first' },
        { id: 'm2', messageBody: '{"n":2}' },
      ],
    });
    // A source queue is not a dead-letter queue: no redrive there.
    expect(screen.queryByRole('button', { name: 'Redrive messages' })).toBeNull();
  });

  it('refuses a batch of more than 10 before sending it', async () => {
    const gateway = queueService();
    renderPage(<Queues instance={instance('Queue')} />, gateway.api);
    fireEvent.click(await screen.findByRole('button', { name: 'jobs' }));
    fireEvent.change(await screen.findByLabelText(/^Batch/), { target: { value: Array.from({ length: 11 }, (_, i) => `m${i}`).join('\n') } });
    fireEvent.click(screen.getByRole('button', { name: 'Send batch' }));
    expect((await screen.findByRole('alert')).textContent).toContain('at most 10 messages');
    expect(gateway.sent('POST', `${Q}/queues/jobs/messages/batch`)).toHaveLength(0);
  });

  it('redrives a dead-letter queue back to its sources and lists the task', async () => {
    const gateway = queueService();
    renderPage(<Queues instance={instance('Queue')} />, gateway.api);
    fireEvent.click(await screen.findByRole('button', { name: 'failed' }));
    expect((await screen.findByRole('group', { name: 'Redrive of failed' })).textContent).toContain('dead-letter queue of jobs');
    await screen.findByText('No redrive yet.');
    fireEvent.click(screen.getByRole('button', { name: 'Redrive messages' }));
    const table = await screen.findByRole('table', { name: 'Redrives of failed' });
    await waitFor(() => expect(within(table).getByText('COMPLETED')).toBeTruthy());
    expect(within(table).getByText('4 of 4')).toBeTruthy();
    expect(within(table).getByText('source queues')).toBeTruthy();
    expect(gateway.sent('POST', `${Q}/queues/failed/move-tasks`)[0].body).toEqual({});
  });
});
