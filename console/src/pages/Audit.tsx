import { Button, Code, Group, Select, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { describe } from '../api/errors';
import { listAuditPage } from '../api/tenant';
import { DataTable } from '../components/DataTable';
import { Section } from '../components/Section';
import { useLoad } from '../components/useLoad';
import { useConsole } from '../console';
import {
  appendPage,
  AUDIT_ACTIONS,
  AUDIT_PAGE_SIZES,
  AUDIT_RESOURCES,
  auditQuery,
  firstPage,
  type AuditFilter,
} from '../logic/audit';

const ACTION_COLOR: Record<string, string> = { CREATE: 'green', UPDATE: 'blue', DELETE: 'red', REVOKE: 'red', ROTATE: 'orange', ACT_AS: 'orange' };

/**
 * The tenant's audit log (tenant admins), newest first, a page at a time: the service filters and
 * pages (a keyset cursor), so older entries are reached with "Load more". The choices apply at
 * once; the typed filters when applied (Enter or the button), not at every key.
 */
export function Audit() {
  const { api } = useConsole();
  const [limit, setLimit] = useState('100');
  const [filter, setFilter] = useState<AuditFilter>({});
  const [draft, setDraft] = useState<AuditFilter>({});
  const [more, setMore] = useState(false);
  const log = useLoad(async () => firstPage(await listAuditPage(api, auditQuery(filter, Number(limit)))), [api, limit, filter]);
  const choose = (change: Partial<AuditFilter>) => {
    setDraft((d) => ({ ...d, ...change }));
    setFilter((f) => ({ ...f, ...change }));
  };
  const type = (change: Partial<AuditFilter>) => setDraft((d) => ({ ...d, ...change }));
  const apply = (event: FormEvent) => {
    event.preventDefault();
    setFilter(draft);
  };
  const clear = () => {
    setDraft({});
    setFilter({});
  };
  const loadMore = async () => {
    const shown = log.data;
    if (!shown?.next || more) {
      return;
    }
    setMore(true);
    try {
      const page = await listAuditPage(api, auditQuery(filter, Number(limit), shown.next));
      log.setData(appendPage(shown, page));
    } catch (failure) {
      log.setError(describe(failure));
    } finally {
      setMore(false);
    }
  };
  const shown = log.data;

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
        <form onSubmit={apply} role="search" aria-label="Filter the audit log">
          <Group align="flex-end" wrap="wrap">
            <Select label="Per page" data={AUDIT_PAGE_SIZES} value={limit} onChange={(l) => l && setLimit(l)} allowDeselect={false} w={100} />
            <Select label="Action" placeholder="Any" clearable data={AUDIT_ACTIONS} value={draft.action ?? null} onChange={(action) => choose({ action })} w={160} />
            <Select
              label="Resource"
              placeholder="Any"
              clearable
              data={AUDIT_RESOURCES}
              value={draft.resourceType ?? null}
              onChange={(resourceType) => choose({ resourceType })}
              w={180}
            />
            <TextInput label="User" value={draft.user ?? ''} onChange={(e) => type({ user: e.currentTarget.value })} w={150} />
            <TextInput label="Search" description="Resource id, IP or change" value={draft.text ?? ''} onChange={(e) => type({ text: e.currentTarget.value })} w={200} />
            <TextInput label="From" description="Day, UTC" type="date" value={draft.from ?? ''} onChange={(e) => type({ from: e.currentTarget.value })} w={150} />
            <TextInput label="To" description="Day, UTC" type="date" value={draft.to ?? ''} onChange={(e) => type({ to: e.currentTarget.value })} w={150} />
            <Button type="submit" variant="light">
              Apply filters
            </Button>
            <Button variant="subtle" onClick={clear}>
              Clear
            </Button>
          </Group>
        </form>
        {shown && (
          <Text size="sm" c="dimmed" role="status">
            {shown.entries.length} {shown.entries.length === 1 ? 'entry' : 'entries'}
            {shown.next ? ' shown, older ones can be loaded' : shown.entries.length > 0 ? ', all that match' : ''}
          </Text>
        )}
        <DataTable
          label="Audit entries"
          rows={shown?.entries ?? null}
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
        {shown?.next && (
          <Group justify="center">
            <Button variant="default" onClick={() => void loadMore()} loading={more}>
              Load more
            </Button>
          </Group>
        )}
      </Section>
    </Stack>
  );
}
