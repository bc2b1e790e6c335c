import { Anchor, Button, Code, Group, NumberInput, Select, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import type { Instance } from '../../api/identity';
import {
  consume,
  createTopic,
  deleteTopic,
  listConsumerGroups,
  listTopics,
  produce,
  type KafkaRecord,
} from '../../api/kafka';
import { serviceBase } from '../../api/service';
import { ConfirmButton } from '../../components/ConfirmButton';
import { DataTable } from '../../components/DataTable';
import { Section } from '../../components/Section';
import { LiveChart, useEvery, useSeries } from '../../components/LiveChart';
import { useActions, useLoad } from '../../components/useLoad';
import { KafkaCredentials } from './KafkaCredentials';
import { LiveTail } from './LiveTail';
import { useConsole } from '../../console';

/** A Kafka instance: topics (create, delete, produce, consume) and consumer groups with lag. */
export function Kafka({ instance }: { instance: Instance }) {
  const { api } = useConsole();
  const base = serviceBase('kafka', instance);
  const topics = useLoad(() => listTopics(api, base), [api, base]);
  const [open, setOpen] = useState<string | null>(null);
  const [name, setName] = useState('');
  const [partitions, setPartitions] = useState<number | string>(3);
  const [retention, setRetention] = useState<number | string>(168);

  const create = async (event: FormEvent) => {
    event.preventDefault();
    if (await topics.act(() => createTopic(api, base, name.trim(), Number(partitions), Number(retention)))) {
      setName('');
    }
  };
  const remove = async (topic: string) => {
    if ((await topics.act(() => deleteTopic(api, base, topic))) && open === topic) {
      setOpen(null);
    }
  };

  return (
    <>
      <Section title={`Topics of ${instance.serviceName}`} error={topics.error} onDismiss={() => topics.setError(null)}>
        <form onSubmit={create} aria-label="Create a topic">
          <Group align="flex-end" wrap="wrap">
            <TextInput
              label="Topic name"
              description="Letters, digits, '.', '_' and '-'"
              required
              value={name}
              onChange={(e) => setName(e.currentTarget.value)}
              style={{ flex: '1 1 200px' }}
            />
            <NumberInput label="Partitions" min={1} max={100} value={partitions} onChange={setPartitions} w={120} />
            <NumberInput label="Retention (hours)" min={1} value={retention} onChange={setRetention} w={150} />
            <Button type="submit" loading={topics.busy}>
              Create topic
            </Button>
          </Group>
        </form>
        <DataTable
          label="Topics"
          rows={topics.data}
          rowKey={(t) => t.name}
          rowTestId={(t) => `topic-${t.name}`}
          empty="No topics yet."
          columns={[
            {
              header: 'Name',
              cell: (t) => (
                <Anchor component="button" type="button" onClick={() => setOpen(t.name)}>
                  {t.name}
                </Anchor>
              ),
            },
            { header: 'Partitions', cell: (t) => t.partitions },
            { header: 'Replicas', cell: (t) => t.replicationFactor },
            {
              header: 'Actions',
              hideHeader: true,
              align: 'right',
              cell: (t) => (
                <ConfirmButton
                  ariaLabel={`Delete topic ${t.name}`}
                  title={`Delete topic ${t.name}?`}
                  message="The topic and all its records are deleted. This cannot be undone."
                  confirmLabel="Delete topic"
                  onConfirm={() => remove(t.name)}
                >
                  Delete
                </ConfirmButton>
              ),
            },
          ]}
        />
      </Section>
      {open && <TopicRecords key={open} base={base} topic={open} />}
      <ConsumerGroups base={base} />
      <KafkaCredentials base={base} />
    </>
  );
}

/** One topic: produce a record, read records (as a group, or just looking). */
function TopicRecords({ base, topic }: { base: string; topic: string }) {
  const { api } = useConsole();
  const actions = useActions();
  const [key, setKey] = useState('');
  const [value, setValue] = useState('');
  const [produced, setProduced] = useState<string | null>(null);
  const [group, setGroup] = useState('');
  const [from, setFrom] = useState<'earliest' | 'latest'>('earliest');
  const [records, setRecords] = useState<KafkaRecord[] | null>(null);

  const send = async (event: FormEvent) => {
    event.preventDefault();
    const ok = await actions.act(async () => {
      const at = await produce(api, base, topic, key, value);
      setProduced(`partition ${at.partition}, offset ${at.offset}`);
    });
    if (ok) {
      setValue('');
    }
  };
  const read = (event: FormEvent) => {
    event.preventDefault();
    void actions.act(async () => setRecords(await consume(api, base, topic, { group: group.trim() || undefined, from, max: 50 })));
  };

  return (
    <Section title={`Topic ${topic}`} error={actions.error} onDismiss={() => actions.setError(null)}>
      <form onSubmit={send} aria-label={`Produce to ${topic}`}>
        <Stack gap="xs">
          <Group align="flex-end" wrap="wrap">
            <TextInput label="Key (optional)" value={key} onChange={(e) => setKey(e.currentTarget.value)} w={200} />
            <Textarea label="Value" required minRows={1} value={value} onChange={(e) => setValue(e.currentTarget.value)} style={{ flex: '1 1 260px' }} />
            <Button type="submit" loading={actions.busy}>
              Produce
            </Button>
          </Group>
          {produced && (
            <Text size="sm" c="dimmed" role="status">
              Produced at {produced}
            </Text>
          )}
        </Stack>
      </form>
      <form onSubmit={read} aria-label={`Consume from ${topic}`}>
        <Group align="flex-end" wrap="wrap">
          <TextInput
            label="Consumer group (optional)"
            description="With a group, reading commits its offsets"
            value={group}
            onChange={(e) => setGroup(e.currentTarget.value)}
            w={240}
          />
          <Select
            label="Start from"
            data={[
              { value: 'earliest', label: 'the earliest record' },
              { value: 'latest', label: 'new records only' },
            ]}
            value={from}
            onChange={(v) => setFrom(v === 'latest' ? 'latest' : 'earliest')}
            allowDeselect={false}
            w={200}
          />
          <Button type="submit" variant="default">
            Consume
          </Button>
        </Group>
      </form>
      <DataTable
        label={`Records of ${topic}`}
        rows={records}
        rowKey={(r) => `${r.partition}-${r.offset}`}
        empty="No records arrived within 2 seconds."
        columns={[
          { header: 'Partition', cell: (r) => r.partition },
          { header: 'Offset', cell: (r) => r.offset },
          { header: 'Time', cell: (r) => new Date(r.timestamp).toLocaleString() },
          { header: 'Key', cell: (r) => r.key ?? '—' },
          { header: 'Value', cell: (r) => <Code block>{r.value ?? ''}</Code> },
        ]}
      />
      <LiveTail base={base} topic={topic} />
    </Section>
  );
}

const LAG_EVERY_MS = 15_000;
const LAG_KEEP = 40;

/** The consumer groups with their lag, read again every 15 s and charted (all groups together). */
function ConsumerGroups({ base }: { base: string }) {
  const { api } = useConsole();
  const groups = useLoad(() => listConsumerGroups(api, base), [api, base]);
  useEvery(() => void groups.reload(), LAG_EVERY_MS);
  const lag = useSeries(groups.data, (list) => [list.reduce((sum, g) => sum + g.totalLag, 0)], LAG_KEEP);
  return (
    <Section title="Consumer groups" error={groups.error} onDismiss={() => groups.setError(null)}>
      <Group>
        <Button variant="default" onClick={() => void groups.reload()} loading={groups.loading}>
          Refresh lag
        </Button>
      </Group>
      <LiveChart title="Consumer lag" series={[{ label: 'all groups', color: 'grape' }]} samples={lag} keep={LAG_KEEP} intervalMs={LAG_EVERY_MS} />
      <DataTable
        label="Consumer groups"
        rows={groups.data}
        rowKey={(g) => g.groupId}
        rowTestId={(g) => `group-${g.groupId}`}
        empty="No consumer groups yet."
        columns={[
          { header: 'Group', cell: (g) => g.groupId },
          { header: 'State', cell: (g) => g.state },
          { header: 'Members', cell: (g) => g.memberCount },
          { header: 'Total lag', cell: (g) => g.totalLag },
          {
            header: 'Lag by partition',
            cell: (g) =>
              g.partitions
                .filter((p) => p.lag > 0)
                .map((p) => `${p.topic}/${p.partition}: ${p.lag}`)
                .join(', ') || 'none',
          },
        ]}
      />
    </Section>
  );
}
