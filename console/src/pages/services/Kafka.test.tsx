import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { BASE, fakeGateway, instance, json, renderPage, setUpDom } from '../../testing/harness';
import { Kafka } from './Kafka';

setUpDom();
const K = BASE('kafka');

const credential = {
  username: 'kafka-3f01',
  mechanism: 'SCRAM-SHA-512',
  securityProtocol: 'SASL_PLAINTEXT',
  bootstrapServers: '127.0.0.1:9094',
  topicPrefix: 'tenant.acme.i.1111.',
  groupPrefix: 'tenant.acme.i.1111.',
  createdAt: '2026-12-06T10:00:00Z',
};

function kafkaService() {
  const topics = [{ name: 'events', partitions: 3, replicationFactor: 1 }];
  const credentials = [credential];
  let tailed = 0;
  return fakeGateway({
    [`GET ${K}/credentials`]: () => ({ credentials, count: credentials.length }),
    [`POST ${K}/credentials`]: () => json({ ...credential, username: 'kafka-new', password: 's3cret' }, 201),
    [`DELETE ${K}/credentials/kafka-3f01`]: () => {
      credentials.splice(0, 1);
      return undefined;
    },
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
    [`GET ${K}/topics/events/messages`]: ({ query }) =>
      query.get('consumerGroup')?.startsWith('console-tail-') && tailed++ > 0
        ? { topic: 'events', messages: [], count: 0 }
        : {
            topic: 'events',
            messages: [{ partition: 2, offset: 41, timestamp: '2026-12-06T10:00:00Z', key: 'u1', value: '{"x":1}' }],
            count: 1,
          },
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
    expect(screen.getByRole('img', { name: /^Consumer lag/ }).getAttribute('aria-label')).toBe(
      'Consumer lag: all groups 5 now; peak 5 in the last 1 reading',
    );
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

  it('creates a client credential, shows its password once with client settings, and revokes one', async () => {
    const gateway = kafkaService();
    renderPage(<Kafka instance={instance('Kafka')} />, gateway.api);
    expect((await screen.findByText(/Native clients connect to/)).textContent).toContain('127.0.0.1:9094');
    fireEvent.change(screen.getByLabelText('Credential description'), { target: { value: 'laptop' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create credential' }));
    const dialog = await screen.findByRole('dialog');
    expect(within(dialog).getByTestId('secret-Kafka password').textContent).toBe('s3cret');
    expect(within(dialog).getByTestId('secret-Client properties').textContent).toContain(
      'org.apache.kafka.common.security.scram.ScramLoginModule required username="kafka-new" password="s3cret";',
    );
    expect(gateway.sent('POST', `${K}/credentials`)[0].body).toEqual({ description: 'laptop' });
    fireEvent.click(within(dialog).getByRole('button', { name: 'I have saved it' }));

    fireEvent.click(screen.getByRole('button', { name: 'Revoke kafka-3f01' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Revoke credential' }));
    await waitFor(() => expect(screen.queryByTestId('credential-kafka-3f01')).toBeNull());
    expect(gateway.sent('DELETE', `${K}/credentials/kafka-3f01`)).toHaveLength(1);
  });

  it('follows a topic live as a group of its own from the end, until stopped', async () => {
    const gateway = kafkaService();
    renderPage(<Kafka instance={instance('Kafka')} />, gateway.api);
    fireEvent.click(await screen.findByRole('button', { name: 'events' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Follow live' }));
    const live = await screen.findByRole('table', { name: 'Live records of events' });
    expect(await within(live).findByText('{"x":1}')).toBeTruthy();
    const query = gateway.sent('GET', `${K}/topics/events/messages`)[0].query;
    expect(query.get('consumerGroup')).toMatch(/^console-tail-[0-9a-f]{8}$/);
    expect(query.get('from')).toBe('latest');
    expect(query.get('timeoutMs')).toBe('10000');

    fireEvent.click(screen.getByRole('button', { name: 'Stop following' }));
    expect(await screen.findByRole('button', { name: 'Follow live' })).toBeTruthy();
    expect(within(live).getByText('{"x":1}')).toBeTruthy();
    // Its group is deleted once the read in flight is over, and no read follows.
    const group = query.get('consumerGroup')!;
    await waitFor(() => expect(gateway.sent('DELETE', `${K}/consumer-groups/${group}`)).toHaveLength(1), { timeout: 3000 });
    const reads = gateway.sent('GET', `${K}/topics/events/messages`).length;
    await new Promise((resolve) => setTimeout(resolve, 1200));
    expect(gateway.sent('GET', `${K}/topics/events/messages`)).toHaveLength(reads);
  });
});
