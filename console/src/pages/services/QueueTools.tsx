import { Badge, Button, Group, NumberInput, Select, Stack, Text, Textarea } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import {
  batchEntries,
  cancelMoveTask,
  listMoveTasks,
  sendMessageBatch,
  startRedrive,
  type BatchResult,
  type MoveTask,
  type Queue,
} from '../../api/queue';
import { DataTable } from '../../components/DataTable';
import { useEvery } from '../../components/LiveChart';
import { Problem } from '../../components/Problem';
import { useActions, useLoad } from '../../components/useLoad';
import { useConsole } from '../../console';

/** Sends up to 10 messages in one SendMessageBatch, one a line; each entry's outcome is shown. */
export function BatchSend({ base, queue, onSent }: { base: string; queue: Queue; onSent: () => void }) {
  const { api } = useConsole();
  const [text, setText] = useState('');
  const [result, setResult] = useState<BatchResult | null>(null);
  const actions = useActions();

  const send = async (event: FormEvent) => {
    event.preventDefault();
    await actions.act(
      async () => {
        const answer = await sendMessageBatch(api, base, queue, batchEntries(text));
        setResult(answer);
        if (answer.failed.length === 0) {
          setText('');
        }
        onSent();
      },
      { reload: false },
    );
  };

  return (
    <form onSubmit={send} aria-label={`Send a batch to ${queue.queueName}`}>
      <Stack gap="xs">
        <Textarea
          label="Batch"
          description="One message a line, up to 10"
          required
          minRows={3}
          value={text}
          onChange={(e) => setText(e.currentTarget.value)}
        />
        <Problem error={actions.error} onClose={() => actions.setError(null)} />
        <Group>
          <Button type="submit" variant="default" loading={actions.busy}>
            Send batch
          </Button>
          {result && (
            <Text size="sm" role="status">
              {result.successful.length} sent
              {result.failed.length > 0 && `, ${result.failed.length} failed: ${result.failed.map((f) => `${f.id} ${f.message}`).join('; ')}`}
            </Text>
          )}
        </Group>
      </Stack>
    </form>
  );
}

const TASKS_EVERY_MS = 2_000;

/**
 * A dead-letter queue's redrive: its messages back to the queues they came from (or to one
 * chosen), at an optional rate; the recent tasks with their progress, a running one cancellable.
 */
export function Redrive(props: { base: string; name: string; sources: string[]; destinations: string[]; onMoved: () => void }) {
  const { base, name, sources, destinations, onMoved } = props;
  const { api } = useConsole();
  const tasks = useLoad(() => listMoveTasks(api, base, name), [api, base, name]);
  const [destination, setDestination] = useState<string | null>(null);
  const [rate, setRate] = useState<number | string>('');
  const running = (tasks.data ?? []).find((t) => t.status === 'RUNNING');
  // While a task runs, its progress is read again every 2 s.
  useEvery(() => {
    if (running) {
      void tasks.reload().then(onMoved);
    }
  }, TASKS_EVERY_MS);

  const start = () => tasks.act(() => startRedrive(api, base, name, destination, rate === '' ? null : Number(rate)));

  return (
    <Stack gap="xs" aria-label={`Redrive of ${name}`} role="group">
      <Text fw={600}>Dead-letter redrive</Text>
      <Text size="sm" c="dimmed">
        {name} is the dead-letter queue of {sources.join(', ')}. A redrive moves the messages it holds now back to the queue each came
        from, or to the queue chosen; each message moves once.
      </Text>
      <Problem error={tasks.error} onClose={() => tasks.setError(null)} />
      <Group align="flex-end" wrap="wrap">
        <Select label="Move to" placeholder="Their source queues" data={destinations} value={destination} onChange={setDestination} clearable w={220} />
        <NumberInput label="Messages a second" placeholder="up to 500" min={1} max={500} value={rate} onChange={setRate} w={160} />
        <Button onClick={() => void start()} loading={tasks.busy} disabled={!!running}>
          Redrive messages
        </Button>
      </Group>
      <DataTable<MoveTask>
        label={`Redrives of ${name}`}
        rows={tasks.data}
        rowKey={(t) => t.taskHandle}
        empty="No redrive yet."
        columns={[
          { header: 'Started', cell: (t) => new Date(t.startedAt).toLocaleString() },
          {
            header: 'Status',
            cell: (t) => (
              <Badge variant="light" color={t.status === 'COMPLETED' ? 'green' : t.status === 'RUNNING' ? 'blue' : t.status === 'FAILED' ? 'red' : 'gray'} title={t.failureReason ?? undefined}>
                {t.status}
              </Badge>
            ),
          },
          { header: 'Moved', cell: (t) => `${t.approximateNumberOfMessagesMoved} of ${t.approximateNumberOfMessagesToMove}` },
          { header: 'To', cell: (t) => (t.destinationArn ? t.destinationArn.split(':').pop() : 'source queues') },
          {
            header: 'Actions',
            hideHeader: true,
            align: 'right',
            cell: (t) =>
              t.status === 'RUNNING' && (
                <Button size="xs" variant="default" onClick={() => void tasks.act(() => cancelMoveTask(api, base, name, t.taskHandle))}>
                  Cancel
                </Button>
              ),
          },
        ]}
      />
    </Stack>
  );
}
