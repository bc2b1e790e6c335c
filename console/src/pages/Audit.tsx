import { Button, Code, Group, Select, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { listAudit } from '../api/tenant';
import { DataTable } from '../components/DataTable';
import { Section } from '../components/Section';
import { useLoad } from '../components/useLoad';
import { useConsole } from '../console';
import { distinct, filterAudit, type AuditFilter } from '../logic/audit';

const ACTION_COLOR: Record<string, string> = { CREATE: 'green', UPDATE: 'blue', DELETE: 'red', REVOKE: 'red', ROTATE: 'orange' };

/** The tenant's audit log (tenant admins): the newest entries, narrowed in the page. */
export function Audit() {
  const { api } = useConsole();
  const [limit, setLimit] = useState('200');
  const log = useLoad(() => listAudit(api, Number(limit)), [api, limit]);
  const [filter, setFilter] = useState<AuditFilter>({});
  const set = (change: Partial<AuditFilter>) => setFilter((f) => ({ ...f, ...change }));
  const entries = log.data ?? [];
  const shown = log.data ? filterAudit(entries, filter) : null;

  return (
    <Stack gap="lg">
      <Title order={2}>Audit log</Title>
      <Section
        title="Entries"
        error={log.error}
        onDismiss={() => log.setError(null)}
        actions={
          <Button variant="default" size="xs" onClick={() => void log.reload()} loading={log.loading}>
            Refresh
          </Button>
        }
      >
        <Group align="flex-end" wrap="wrap" role="search" aria-label="Filter the audit log">
          <Select label="Newest" data={['100', '200', '500', '1000']} value={limit} onChange={(l) => l && setLimit(l)} allowDeselect={false} w={100} />
          <Select label="Action" placeholder="Any" clearable data={distinct(entries, (e) => e.action)} value={filter.action ?? null} onChange={(action) => set({ action })} w={150} />
          <Select
            label="Resource"
            placeholder="Any"
            clearable
            data={distinct(entries, (e) => e.resource_type)}
            value={filter.resourceType ?? null}
            onChange={(resourceType) => set({ resourceType })}
            w={170}
          />
          <TextInput label="User" value={filter.user ?? ''} onChange={(e) => set({ user: e.currentTarget.value })} w={150} />
          <TextInput label="Search" description="Resource id, IP or change" value={filter.text ?? ''} onChange={(e) => set({ text: e.currentTarget.value })} w={200} />
          <TextInput label="From" type="date" value={filter.from ?? ''} onChange={(e) => set({ from: e.currentTarget.value })} w={150} />
          <TextInput label="To" type="date" value={filter.to ?? ''} onChange={(e) => set({ to: e.currentTarget.value })} w={150} />
        </Group>
        {shown && (
          <Text size="sm" c="dimmed" role="status">
            {shown.length} of the newest {entries.length} entries
          </Text>
        )}
        <DataTable
          label="Audit entries"
          rows={shown}
          rowKey={(e) => String(e.id)}
          empty="No entries match."
          minWidth={820}
          columns={[
            { header: 'Time', cell: (e) => new Date(e.timestamp).toLocaleString() },
            { header: 'User', cell: (e) => e.user?.username ?? '—' },
            {
              header: 'Action',
              // Text rather than a badge: a badge cuts its label short in a narrow column.
              cell: (e) => (
                <Text size="sm" fw={600} c={`${ACTION_COLOR[e.action] ?? 'gray'}.8`}>
                  {e.action}
                </Text>
              ),
            },
            { header: 'Resource', cell: (e) => [e.resource_type, e.resource_id].filter(Boolean).join(' ') },
            { header: 'IP', cell: (e) => e.ip_address ?? '' },
            {
              header: 'Changes',
              cell: (e) =>
                e.changes == null ? '' : (
                  <Code style={{ wordBreak: 'break-all', whiteSpace: 'pre-wrap' }}>{JSON.stringify(e.changes)}</Code>
                ),
            },
          ]}
        />
      </Section>
    </Stack>
  );
}
