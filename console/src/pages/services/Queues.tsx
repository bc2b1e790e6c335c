import { Anchor, Button, Code, Group, NumberInput, Select, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import type { Instance } from '../../api/identity';
import {
  createQueue,
  deleteMessage,
  deleteQueue,
  getQueue,
  listQueues,
  purgeQueue,
  receiveMessages,
  sendMessage,
  sourcesOf,
  type QueueMessage,
} from '../../api/queue';
import { BatchSend, Redrive } from './QueueTools';
import { serviceBase } from '../../api/service';
import { ConfirmButton } from '../../components/ConfirmButton';
import { LiveChart, useEvery, useSeries } from '../../components/LiveChart';
import { DataTable } from '../../components/DataTable';
import { Section } from '../../components/Section';
import { useLoad } from '../../components/useLoad';
import { useConsole } from '../../console';

/** A queue instance's queues: create (with a dead-letter queue), delete, open one. */
export function Queues({ instance }: { instance: Instance }) {
  const { api } = useConsole();
  const base = serviceBase('queue', instance);
  const queues = useLoad(() => listQueues(api, base), [api, base]);
  const [open, setOpen] = useState<string | null>(null);
  const [name, setName] = useState('');
  const [type, setType] = useState<'Standard' | 'FIFO'>('Standard');
  const [deadLetter, setDeadLetter] = useState<string | null>(null);
  const [maxReceives, setMaxReceives] = useState<number | string>(5);

  const create = async (event: FormEvent) => {
    event.preventDefault();
    const redrive = deadLetter ? { deadLetterQueueName: deadLetter, maxReceiveCount: Number(maxReceives) } : {};
    if (await queues.act(() => createQueue(api, base, { queueName: name.trim(), queueType: type, ...redrive }))) {
      setName('');
    }
  };
  const remove = async (queue: string) => {
    if (await queues.act(() => deleteQueue(api, base, queue)) && open === queue) {
      setOpen(null);
    }
  };
  // A dead-letter queue is a queue of the same instance and type.
  const deadLetterChoices = (queues.data ?? []).filter((q) => q.queueType === type).map((q) => q.queueName);

  return (
    <>
      <Section title={`Queues of ${instance.serviceName}`} error={queues.error} onDismiss={() => queues.setError(null)}>
        <form onSubmit={create} aria-label="Create a queue">
          <Group align="flex-end" wrap="wrap">
            <TextInput
              label="Queue name"
              description={type === 'FIFO' ? '“.fifo” is added when missing' : 'Letters, digits, - and _'}
              required
              value={name}
              onChange={(e) => setName(e.currentTarget.value)}
              style={{ flex: '1 1 200px' }}
            />
            <Select
              label="Queue type"
              data={['Standard', 'FIFO']}
              value={type}
              onChange={(v) => {
                setType(v === 'FIFO' ? 'FIFO' : 'Standard');
                setDeadLetter(null);
              }}
              allowDeselect={false}
              w={140}
            />
            <Select
              label="Dead-letter queue"
              placeholder="None"
              data={deadLetterChoices}
              value={deadLetter}
              onChange={setDeadLetter}
              clearable
              w={200}
            />
            {deadLetter && (
              <NumberInput label="Receives before dead-lettering" min={1} max={1000} value={maxReceives} onChange={setMaxReceives} w={200} />
            )}
            <Button type="submit" loading={queues.busy}>
              Create queue
            </Button>
          </Group>
        </form>
        <DataTable
          label="Queues"
          rows={queues.data}
          rowKey={(q) => q.queueName}
          rowTestId={(q) => `queue-${q.queueName}`}
          empty="No queues yet."
          columns={[
            {
              header: 'Name',
              cell: (q) => (
                <Anchor component="button" type="button" onClick={() => setOpen(q.queueName)}>
                  {q.queueName}
                </Anchor>
              ),
            },
            { header: 'Type', cell: (q) => q.queueType },
            { header: 'Dead letters to', cell: (q) => q.deadLetterQueueName ?? '—' },
            { header: 'Created', cell: (q) => new Date(q.createdAt).toLocaleString() },
            {
              header: 'Actions',
              hideHeader: true,
              align: 'right',
              cell: (q) => (
                <ConfirmButton
                  ariaLabel={`Delete queue ${q.queueName}`}
                  title={`Delete queue ${q.queueName}?`}
                  message="The queue and every message in it are deleted. This cannot be undone."
                  confirmLabel="Delete queue"
                  onConfirm={() => remove(q.queueName)}
                >
                  Delete
                </ConfirmButton>
              ),
            },
          ]}
        />
      </Section>
      {open && (
        <QueueMessages
          key={open}
          base={base}
          name={open}
          sources={sourcesOf(queues.data ?? [], open)}
          others={(queues.data ?? []).filter((q) => q.queueName !== open && q.queueType === 'Standard').map((q) => q.queueName)}
        />
      )}
    </>
  );
}

const DEPTH_EVERY_MS = 15_000;
const DEPTH_KEEP = 40;

/** One queue: its counts (and their chart), send, peek or receive (and delete what was received), purge. */
function QueueMessages({ base, name, sources, others }: { base: string; name: string; sources: string[]; others: string[] }) {
  const { api } = useConsole();
  const queue = useLoad(() => getQueue(api, base, name), [api, base, name]);
  // Queue depth, live: the counts are read again every 15 s (240 requests an hour of the
  // tenant's budget while the queue is open), each read a point of the chart.
  useEvery(() => void queue.reload(), DEPTH_EVERY_MS);
  const depth = useSeries(queue.data, (q) => [q.approximateNumberOfMessages ?? 0, q.approximateNumberOfMessagesNotVisible ?? 0], DEPTH_KEEP);
  const [body, setBody] = useState('');
  const [messages, setMessages] = useState<QueueMessage[] | null>(null);
  const [sent, setSent] = useState<string | null>(null);

  const send = async (event: FormEvent) => {
    event.preventDefault();
    const current = queue.data;
    if (!current) {
      return;
    }
    if (await queue.act(async () => setSent((await sendMessage(api, base, current, body)).messageId))) {
      setBody('');
    }
  };
  const receive = (peek: boolean) => queue.act(async () => setMessages(await receiveMessages(api, base, name, 10, peek)));
  const remove = (message: QueueMessage) =>
    queue.act(async () => {
      await deleteMessage(api, base, name, message.receiptHandle);
      setMessages((list) => (list ?? []).filter((m) => m.messageId !== message.messageId));
    });
  const purge = () =>
    queue.act(async () => {
      await purgeQueue(api, base, name);
      setMessages(null);
    });

  const q = queue.data;
  return (
    <Section title={`Queue ${name}`} error={queue.error} onDismiss={() => queue.setError(null)}>
      {q && (
        <Text role="status" aria-live="polite">
          {q.approximateNumberOfMessages ?? 0} available · {q.approximateNumberOfMessagesNotVisible ?? 0} in flight ·{' '}
          {q.approximateNumberOfMessagesDelayed ?? 0} delayed
        </Text>
      )}
      <LiveChart
        title={`Depth of ${name}`}
        series={[
          { label: 'available', color: 'blue' },
          { label: 'in flight', color: 'orange' },
        ]}
        samples={depth}
        keep={DEPTH_KEEP}
        intervalMs={DEPTH_EVERY_MS}
      />
      <form onSubmit={send} aria-label={`Send a message to ${name}`}>
        <Stack gap="xs">
          <Textarea label="Message body" required minRows={2} value={body} onChange={(e) => setBody(e.currentTarget.value)} />
          <Group>
            <Button type="submit" loading={queue.busy} disabled={!q}>
              Send
            </Button>
            {sent && (
              <Text size="sm" c="dimmed">
                Sent message <Code>{sent}</Code>
              </Text>
            )}
          </Group>
        </Stack>
      </form>
      {q && <BatchSend base={base} queue={q} onSent={() => void queue.reload()} />}
      {q && q.queueType === 'Standard' && sources.length > 0 && (
        <Redrive base={base} name={name} sources={sources} destinations={others} onMoved={() => void queue.reload()} />
      )}
      <Group>
        <Button variant="default" onClick={() => receive(true)}>
          Peek
        </Button>
        <Button variant="default" onClick={() => receive(false)}>
          Receive
        </Button>
        <Button variant="default" onClick={() => void queue.reload()}>
          Refresh counts
        </Button>
        <ConfirmButton
          size="sm"
          title={`Purge ${name}?`}
          message="Every message in the queue is deleted, in flight or not. This cannot be undone."
          confirmLabel="Purge queue"
          onConfirm={purge}
        >
          Purge
        </ConfirmButton>
      </Group>
      <Text size="xs" c="dimmed">
        Peek leaves the messages visible to other consumers; Receive hides them for the queue&apos;s visibility timeout.
        Both count as a receive towards the dead-letter limit.
      </Text>
      <DataTable
        label={`Messages of ${name}`}
        rows={messages}
        rowKey={(m) => m.messageId}
        empty="No messages were visible."
        columns={[
          { header: 'Body', cell: (m) => <Code block>{m.messageBody}</Code> },
          { header: 'Receives', cell: (m) => m.receiveCount },
          { header: 'Sent', cell: (m) => new Date(m.sentAt).toLocaleString() },
          {
            header: 'Actions',
            hideHeader: true,
            align: 'right',
            cell: (m) => (
              <ConfirmButton
                ariaLabel={`Delete message ${m.messageId}`}
                title="Delete this message?"
                message="The message is removed from the queue for good."
                confirmLabel="Delete message"
                onConfirm={() => remove(m)}
              >
                Delete
              </ConfirmButton>
            ),
          },
        ]}
      />
    </Section>
  );
}
