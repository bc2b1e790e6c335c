import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { BASE, fakeGateway, instance, json, renderPage, setUpDom } from '../../testing/harness';
import { Kafka } from './Kafka';

setUpDom();
const K = BASE('kafka');

function kafkaService() {
  const topics = [{ name: 'events', partitions: 3, replicationFactor: 1 }];
  return fakeGateway({
    [`GET ${K}/topics`]: () => ({ topics, count: topics.length }),
    [`POST ${K}/topics`]: ({ body }) => {
      const b = body as { name: string; partitions: number };
      topics.push({ name: b.name, partitions: b.partitions, replicationFactor: 1 });
      return json(b, 201);
    },
    [`DELETE ${K}/topics/events`]: () => {
      topics.splice(0, 1);
      return undefined;
    },
    [`POST ${K}/topics/events/messages`]: () => json({ topic: 'events', partition: 2, offset: 41 }, 201),
    [`GET ${K}/topics/events/messages`]: () => ({
      topic: 'events',
      messages: [{ partition: 2, offset: 41, timestamp: '2026-12-06T10:00:00Z', key: 'u1', value: '{"x":1}' }],
      count: 1,
    }),
    [`GET ${K}/consumer-groups`]: () => ({
      consumerGroups: [
        {
          groupId: 'billing',
          state: 'Empty',
          memberCount: 0,
          totalLag: 5,
          partitions: [
            { topic: 'events', partition: 0, committedOffset: 10, endOffset: 15, lag: 5 },
            { topic: 'events', partition: 1, committedOffset: 3, endOffset: 3, lag: 0 },
          ],
        },
      ],
      count: 1,
    }),
  });
}

describe('Kafka', () => {
  it('creates a topic with its partitions and retention', async () => {
    const gateway = kafkaService();
    renderPage(<Kafka instance={instance('Kafka')} />, gateway.api);
    await screen.findByTestId('topic-events');
    fireEvent.change(screen.getByLabelText(/Topic name/), { target: { value: 'audit' } });
    fireEvent.change(screen.getByLabelText('Retention (hours)'), { target: { value: '24' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create topic' }));
    await screen.findByTestId('topic-audit');
    expect(gateway.sent('POST', `${K}/topics`)[0].body).toEqual({
      name: 'audit',
      partitions: 3,
      replicationFactor: 1,
      retentionMs: 86_400_000,
    });
  });

  it('produces a record and reads records as a group', async () => {
    const gateway = kafkaService();
    renderPage(<Kafka instance={instance('Kafka')} />, gateway.api);
    fireEvent.click(await screen.findByRole('button', { name: 'events' }));
    fireEvent.change(await screen.findByLabelText(/Value/), { target: { value: 'hello' } });
    fireEvent.click(screen.getByRole('button', { name: 'Produce' }));
    expect((await screen.findByText(/Produced at/)).textContent).toContain('partition 2, offset 41');
    expect(gateway.sent('POST', `${K}/topics/events/messages`)[0].body).toEqual({ value: 'hello' });

    fireEvent.change(screen.getByRole('textbox', { name: /Consumer group \(optional\)/ }), { target: { value: 'audit' } });
    fireEvent.click(screen.getByRole('button', { name: 'Consume' }));
    const records = await screen.findByRole('table', { name: 'Records of events' });
    expect(within(records).getByText('{"x":1}')).toBeTruthy();
    const query = gateway.sent('GET', `${K}/topics/events/messages`)[0].query;
    expect(query.get('consumerGroup')).toBe('audit');
    expect(query.get('from')).toBe('earliest');
  });

  it('shows consumer groups with their lag by partition', async () => {
    renderPage(<Kafka instance={instance('Kafka')} />, kafkaService().api);
    const row = await screen.findByTestId('group-billing');
    expect(row.textContent).toContain('events/0: 5');
    expect(row.textContent).not.toContain('events/1');
  });

  it('deletes a topic only after the confirmation', async () => {
    const gateway = kafkaService();
    renderPage(<Kafka instance={instance('Kafka')} />, gateway.api);
    fireEvent.click(await screen.findByRole('button', { name: 'Delete topic events' }));
    expect(gateway.sent('DELETE', `${K}/topics/events`)).toHaveLength(0);
    fireEvent.click(await screen.findByRole('button', { name: 'Delete topic' }));
    await waitFor(() => expect(screen.queryByTestId('topic-events')).toBeNull());
    expect(gateway.sent('DELETE', `${K}/topics/events`)).toHaveLength(1);
  });
});
