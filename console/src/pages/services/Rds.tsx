import { Badge, Button, Checkbox, Group, NumberInput, Select, SimpleGrid, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { createInstance, listInstances, type Instance } from '../../api/identity';
import {
  cellText,
  createBackup,
  listBackups,
  parseParameters,
  rdsCredentials,
  rdsInfo,
  rdsMetrics,
  restoreBackup,
  rotateCredentials,
  runSql,
  untilAvailable,
  type QueryResult,
  type RdsCredentials,
  type Restored,
} from '../../api/rds';
import { serviceBase } from '../../api/service';
import { ConfirmButton } from '../../components/ConfirmButton';
import { DataTable } from '../../components/DataTable';
import { LiveChart, useEvery, useSeries } from '../../components/LiveChart';
import { Section } from '../../components/Section';
import { Secret } from '../../components/Secret';
import { useActions, useLoad } from '../../components/useLoad';
import { useConsole } from '../../console';
import { formatBytes, statusColor, typeKey } from '../../logic/format';
import { deltas } from '../../logic/series';

/** A relational database instance: how to connect, a SQL runner, its backups. */
export function RdsDatabase({ instance }: { instance: Instance }) {
  const base = serviceBase('rdsdatabase', instance);
  return (
    <>
      <Connection base={base} />
      <Activity base={base} />
      <SqlRunner base={base} />
      <Backups base={base} instance={instance} />
    </>
  );
}

function Connection({ base }: { base: string }) {
  const { api } = useConsole();
  const info = useLoad(() => rdsInfo(api, base), [api, base]);
  const [credentials, setCredentials] = useState<RdsCredentials | null>(null);
  const i = info.data;
  const field = (label: string, value: string | number) => (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text ff="monospace">{value}</Text>
    </div>
  );
  return (
    <Section title="Connection" error={info.error} onDismiss={() => info.setError(null)}>
      {i && (
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          {field('Host', i.endpoint.host)}
          {field('Port', i.endpoint.port)}
          {field('Database', i.endpoint.database)}
          {field('User', i.endpoint.username)}
          {field('Engine', `${i.engine} ${i.version}`)}
          {field('Size', formatBytes(i.sizeBytes))}
          {field('Connections', `${i.connections.current} of ${i.connections.max}`)}
          {field('Statement timeout', `${i.statementTimeoutMs / 1000} s`)}
        </SimpleGrid>
      )}
      {credentials ? (
        <Stack gap="xs">
          <Secret label="Password" value={credentials.password} />
          <Secret label="Connection URI" value={credentials.uri} />
          <Secret label="JDBC URL" value={credentials.jdbcUrl} />
        </Stack>
      ) : null}
      <Group>
        {credentials ? (
          <Button variant="default" onClick={() => setCredentials(null)}>
            Hide password
          </Button>
        ) : (
          <Button variant="default" onClick={() => void info.act(async () => setCredentials(await rdsCredentials(api, base)), { reload: false })}>
            Show password
          </Button>
        )}
        <ConfirmButton
          size="sm"
          title="Rotate the password?"
          message="A new password is made; the old one stops working at once and open connections using it are closed."
          confirmLabel="Rotate password"
          onConfirm={() => info.act(async () => setCredentials(await rotateCredentials(api, base)), { reload: false })}
        >
          Rotate password
        </ConfirmButton>
      </Group>
    </Section>
  );
}

const ACTIVITY_EVERY_MS = 15_000;
const ACTIVITY_KEEP = 40;

/** Connections and transactions, live: the statistics read again every 15 s. */
function Activity({ base }: { base: string }) {
  const { api } = useConsole();
  const metrics = useLoad(() => rdsMetrics(api, base), [api, base]);
  useEvery(() => void metrics.reload(), ACTIVITY_EVERY_MS);
  const connections = useSeries(metrics.data, (m) => [Number(m.active_connections), Number(m.idle_connections)], ACTIVITY_KEEP);
  const counters = useSeries(metrics.data, (m) => [Number(m.xact_commit), Number(m.xact_rollback)], ACTIVITY_KEEP + 1);
  const m = metrics.data;
  return (
    <Section title="Activity" error={metrics.error} onDismiss={() => metrics.setError(null)}>
      {m && (
        <Text size="sm" role="status">
          {m.connections} of {m.max_connections} connections · cache hit ratio {(Number(m.cache_hit_ratio) * 100).toFixed(1)} %
        </Text>
      )}
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <LiveChart
          title="Connections"
          series={[
            { label: 'active', color: 'blue' },
            { label: 'idle', color: 'gray' },
          ]}
          samples={connections}
          keep={ACTIVITY_KEEP}
          intervalMs={ACTIVITY_EVERY_MS}
        />
        <LiveChart
          title="Transactions between readings"
          series={[
            { label: 'commits', color: 'green' },
            { label: 'rollbacks', color: 'red' },
          ]}
          samples={deltas(counters)}
          keep={ACTIVITY_KEEP}
          intervalMs={ACTIVITY_EVERY_MS}
        />
      </SimpleGrid>
    </Section>
  );
}

function SqlRunner({ base }: { base: string }) {
  const { api } = useConsole();
  const run = useActions();
  const [sql, setSql] = useState('SELECT now()');
  const [parameters, setParameters] = useState('');
  const [readOnly, setReadOnly] = useState(true);
  const [maxRows, setMaxRows] = useState<number | string>(100);
  const [result, setResult] = useState<QueryResult | null>(null);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void run.act(
      async () => {
        setResult(null);
        setResult(await runSql(api, base, sql, parseParameters(parameters), { readOnly, maxRows: Number(maxRows) }));
      },
      { reload: false },
    );
  };
  return (
    <Section title="SQL" error={run.error} onDismiss={() => run.setError(null)}>
      <form onSubmit={submit} aria-label="Run SQL">
        <Stack gap="xs">
          <Textarea
            label="Statement"
            description="One statement; ? marks a parameter."
            required
            minRows={4}
            value={sql}
            onChange={(e) => setSql(e.currentTarget.value)}
            styles={{ input: { fontFamily: 'monospace' } }}
          />
          <Group align="flex-end" wrap="wrap">
            <TextInput
              label="Parameters (JSON array)"
              placeholder="[true, 10]"
              value={parameters}
              onChange={(e) => setParameters(e.currentTarget.value)}
              style={{ flex: '1 1 200px' }}
            />
            <NumberInput label="Row limit" min={1} max={1000} value={maxRows} onChange={setMaxRows} w={120} />
            <Checkbox label="Read only" checked={readOnly} onChange={(e) => setReadOnly(e.currentTarget.checked)} />
            <Button type="submit" loading={run.busy}>
              Run
            </Button>
          </Group>
        </Stack>
      </form>
      {result && (
        <Text size="sm" role="status">
          {result.columns.length > 0 ? `${result.rowCount} rows` : `${result.rowsAffected} rows affected`} in{' '}
          {result.executionTimeMs} ms{result.truncated ? ` (cut at the limit of ${result.truncatedBy})` : ''}
        </Text>
      )}
      {result && result.columns.length > 0 && (
        <DataTable
          label="Result"
          rows={result.rows.map((row, index) => ({ row, index }))}
          rowKey={(r) => String(r.index)}
          empty="No rows."
          columns={result.columns.map((column) => ({
            header: column.name,
            cell: (r: { row: Record<string, unknown> }) => cellText(r.row[column.name]),
          }))}
        />
      )}
    </Section>
  );
}

const HERE = 'here';
const NEW = 'new';

/**
 * The instance's backups: take one, restore one into this instance, into another relational
 * database instance of the tenant, or into a new one (created, waited for, then restored into).
 */
function Backups({ base, instance }: { base: string; instance: Instance }) {
  const { api } = useConsole();
  const backups = useLoad(() => listBackups(api, base), [api, base]);
  const others = useLoad(
    async () => (await listInstances(api)).filter((i) => typeKey(i.serviceType) === 'rdsdatabase' && i.id !== instance.id),
    [api, instance.id],
  );
  const [days, setDays] = useState<number | string>(7);
  const [target, setTarget] = useState(HERE);
  const [newName, setNewName] = useState('');
  const [restored, setRestored] = useState<{ into: string; result: Restored } | null>(null);
  const create = (event: FormEvent) => {
    event.preventDefault();
    void backups.act(() => createBackup(api, base, Number(days)));
  };
  const targetName = () =>
    target === HERE ? instance.serviceName : target === NEW ? newName.trim() : (others.data?.find((i) => i.id === target)?.serviceName ?? target);
  const restore = (backupId: string) =>
    backups.act(async () => {
      setRestored(null);
      let into: string | undefined;
      if (target === NEW) {
        const created = await createInstance(api, newName.trim(), 'rdsdatabase');
        await untilAvailable(api, serviceBase('rdsdatabase', created));
        into = created.id;
        void others.reload();
      } else if (target !== HERE) {
        into = target;
      }
      const name = targetName();
      setRestored({ into: name, result: await restoreBackup(api, base, backupId, into) });
      if (target === NEW) {
        setTarget(into!);
        setNewName('');
      }
    });
  const targets = [
    { value: HERE, label: `this instance (${instance.serviceName})` },
    ...(others.data ?? []).map((i) => ({ value: i.id, label: i.serviceName })),
    { value: NEW, label: 'a new instance…' },
  ];
  return (
    <Section title="Backups" error={backups.error ?? others.error} onDismiss={() => (backups.setError(null), others.setError(null))}>
      <form onSubmit={create} aria-label="Back up now">
        <Group align="flex-end">
          <NumberInput label="Keep for (days)" min={1} max={3650} value={days} onChange={setDays} w={160} />
          <Button type="submit" loading={backups.busy}>
            Back up now
          </Button>
          <Button variant="default" onClick={() => void backups.reload()}>
            Refresh
          </Button>
        </Group>
      </form>
      <Group align="flex-end" wrap="wrap">
        <Select label="Restore into" data={targets} value={target} onChange={(v) => setTarget(v ?? HERE)} allowDeselect={false} w={260} />
        {target === NEW && (
          <TextInput
            label="New instance name"
            description="Created for the restore; its API key is not shown (make one under API keys)."
            required
            value={newName}
            onChange={(e) => setNewName(e.currentTarget.value)}
            w={260}
          />
        )}
      </Group>
      {restored && (
        <Text size="sm" role="status">
          Restored into {restored.into} in {Math.round(restored.result.durationMs)} ms.
        </Text>
      )}
      <DataTable
        label="Backups"
        rows={backups.data}
        rowKey={(b) => b.backupId}
        rowTestId={(b) => `backup-${b.backupId}`}
        empty="No backups yet."
        columns={[
          { header: 'Created', cell: (b) => new Date(b.createdAt).toLocaleString() },
          {
            header: 'Status',
            cell: (b) => (
              <Badge variant="light" color={b.status === 'available' ? 'green' : statusColor(b.status)} title={b.error ?? undefined}>
                {b.status}
              </Badge>
            ),
          },
          { header: 'Size', cell: (b) => (b.sizeBytes == null ? '—' : formatBytes(b.sizeBytes)) },
          { header: 'Expires', cell: (b) => (b.expiresAt ? new Date(b.expiresAt).toLocaleDateString() : '—') },
          {
            header: 'Actions',
            hideHeader: true,
            align: 'right',
            cell: (b) =>
              b.status === 'available' && (
                <ConfirmButton
                  ariaLabel={`Restore backup of ${new Date(b.createdAt).toLocaleString()}`}
                  title={`Restore this backup into ${targetName() || 'a new instance'}?`}
                  message={
                    target === NEW
                      ? 'A new relational database instance is created (this takes up to a minute) and the backup restored into it.'
                      : `The database of ${targetName()} is replaced by this backup: changes made there since it was taken are lost.`
                  }
                  confirmLabel="Restore"
                  disabled={target === NEW && !newName.trim()}
                  onConfirm={() => restore(b.backupId)}
                >
                  Restore
                </ConfirmButton>
              ),
          },
        ]}
      />
    </Section>
  );
}
