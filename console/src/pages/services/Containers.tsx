import { Badge, Button, Code, Group, Modal, Select, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import {
  applyEvent,
  approveUpdate,
  canRollBack,
  cancelUpdate,
  containerAction,
  deleteContainer,
  listContainers,
  listUpdates,
  rollbackUpdate,
  touchesHistory,
  updateNow,
  UPDATE_STATUSES,
  type Container,
  type LiveEvent,
  type Update,
} from '../../api/updater';
import { ConfirmButton } from '../../components/ConfirmButton';
import { DataTable } from '../../components/DataTable';
import { Section } from '../../components/Section';
import { useLoad } from '../../components/useLoad';
import { useConsole } from '../../console';
import { statusColor } from '../../logic/format';
import { ContainerForm } from './ContainerForm';
import { ContainerLogs } from './ContainerLogs';
import { RegistryLogins } from './RegistryLogins';
import { useContainerEvents, type LiveState } from './useContainerEvents';

const LIVE_LABEL: Record<LiveState, { label: string; color: string }> = {
  connecting: { label: 'Connecting…', color: 'gray' },
  live: { label: 'Live', color: 'green' },
  reconnecting: { label: 'Reconnecting…', color: 'orange' },
};

/** What a live event says, in words, for the status line. */
function describeEvent(event: LiveEvent, containers: Container[] | null): string {
  const id = event.data?.container_id;
  const name = containers?.find((c) => c.id === id)?.name ?? `container ${id}`;
  switch (event.type) {
    case 'container_status_changed':
      return `${name} is ${event.data?.status}`;
    case 'container_update_started':
      return `${name}: update started`;
    case 'container_update_completed':
      return `${name}: update ${event.data?.success === false ? 'failed' : 'completed'}`;
    case 'container_update_rolled_back':
      return `${name}: update rolled back`;
    default:
      return `${name}: update awaiting approval`;
  }
}

/** The tenant's containers (updater-service) with their status as it changes, and their updates. */
export function Containers() {
  const { api } = useConsole();
  const containers = useLoad(async () => (await listContainers(api)).items, [api]);
  const [containerId, setContainerId] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const history = useLoad(
    async () => (await listUpdates(api, { containerId: containerId ? Number(containerId) : null, status })).items,
    [api, containerId, status],
  );
  const [lastEvent, setLastEvent] = useState<string | null>(null);
  const [log, setLog] = useState<Update | null>(null);
  // null: closed; 'new': the create form; a number: that container's settings.
  const [form, setForm] = useState<'new' | number | null>(null);
  const [logsOf, setLogsOf] = useState<Container | null>(null);

  const live = useContainerEvents(api, (event) => {
    setLastEvent(describeEvent(event, containers.data));
    containers.setData((list) => (list ? applyEvent(list, event) : list));
    if (touchesHistory(event)) {
      void history.reload();
      void containers.reload();
    }
  });
  // A change the history shows too (an update started, a rollback) loads both lists again.
  const change = (run: () => Promise<unknown>) => history.act(async () => {
    await run();
    await containers.reload();
  });

  return (
    <Stack gap="lg">
      <Group justify="space-between">
        <Title order={2}>Containers and updates</Title>
        <Badge variant="dot" color={LIVE_LABEL[live].color} data-testid="live-state">
          {LIVE_LABEL[live].label}
        </Badge>
      </Group>
      <Text size="sm" c="dimmed" role="status" aria-live="polite">
        {lastEvent ?? 'Status changes and updates appear here as they happen.'}
      </Text>
      <Section
        title="Containers"
        error={containers.error}
        onDismiss={() => containers.setError(null)}
        actions={
          <Button size="xs" onClick={() => setForm('new')}>
            New container
          </Button>
        }
      >
        <DataTable
          label="Containers"
          rows={containers.data}
          rowKey={(c) => String(c.id)}
          rowTestId={(c) => `container-${c.name}`}
          empty="No containers yet."
          minWidth={900}
          columns={[
            { header: 'Name', cell: (c) => c.name },
            {
              header: 'Image',
              cell: (c) => (
                <Stack gap={2}>
                  <Text size="sm" style={{ wordBreak: 'break-all' }}>
                    {c.image}
                  </Text>
                  {c.update_available && (
                    <Badge size="xs" color="blue" variant="light">
                      Update available
                    </Badge>
                  )}
                </Stack>
              ),
            },
            {
              header: 'Status',
              cell: (c) => (
                <Badge color={statusColor(c.status)} variant="light">
                  {c.status}
                </Badge>
              ),
            },
            { header: 'Policy', cell: (c) => [c.update_policy?.policy, c.update_policy?.strategy].filter(Boolean).join(', ') },
            {
              header: 'Actions',
              hideHeader: true,
              align: 'right',
              cell: (c) => (
                <Group gap="xs" justify="flex-end" wrap="nowrap">
                  <Button size="xs" variant="default" aria-label={`Log of ${c.name}`} onClick={() => setLogsOf(c)}>
                    Log
                  </Button>
                  <Button size="xs" variant="default" aria-label={`Settings of ${c.name}`} onClick={() => setForm(c.id)}>
                    Settings
                  </Button>
                  <Button size="xs" variant="default" aria-label={`History of ${c.name}`} onClick={() => setContainerId(String(c.id))}>
                    History
                  </Button>
                  <ConfirmButton
                    color="blue"
                    ariaLabel={`Update ${c.name} now`}
                    title={`Update ${c.name} now?`}
                    message="Its image is pulled again; a new digest replaces the container once it passes its health check, and is rolled back if it fails."
                    confirmLabel="Update now"
                    onConfirm={() => change(() => updateNow(api, c.id))}
                  >
                    Update now
                  </ConfirmButton>
                  {c.status === 'running' ? (
                    <ConfirmButton
                      ariaLabel={`Stop ${c.name}`}
                      title={`Stop ${c.name}?`}
                      message="It stops serving until it is started again."
                      confirmLabel="Stop"
                      onConfirm={() => containers.act(() => containerAction(api, c.id, 'stop'))}
                    >
                      Stop
                    </ConfirmButton>
                  ) : (
                    <Button size="xs" variant="default" aria-label={`Start ${c.name}`} onClick={() => void containers.act(() => containerAction(api, c.id, 'start'))}>
                      Start
                    </Button>
                  )}
                  <ConfirmButton
                    ariaLabel={`Delete ${c.name}`}
                    title={`Delete ${c.name}?`}
                    message="It is stopped and removed from the engine, with its settings. This cannot be undone."
                    confirmLabel="Delete container"
                    onConfirm={() => containers.act(() => deleteContainer(api, c.id))}
                  >
                    Delete
                  </ConfirmButton>
                </Group>
              ),
            },
          ]}
        />
      </Section>
      <Section title="Update history" error={history.error} onDismiss={() => history.setError(null)}>
        <Group align="flex-end" wrap="wrap">
          <Select
            label="Container"
            placeholder="All containers"
            clearable
            data={(containers.data ?? []).map((c) => ({ value: String(c.id), label: c.name }))}
            value={containerId}
            onChange={setContainerId}
            maw={260}
          />
          <Select label="Status" placeholder="Any status" clearable data={UPDATE_STATUSES} value={status} onChange={setStatus} maw={220} />
          <Button variant="default" onClick={() => void history.reload()} loading={history.loading}>
            Refresh
          </Button>
        </Group>
        <DataTable
          label="Updates"
          rows={history.data}
          rowKey={(u) => u.id}
          rowTestId={(u) => `update-${u.id}`}
          empty="No updates match."
          minWidth={820}
          columns={[
            { header: 'Started', cell: (u) => (u.started_at ?? u.scheduled_at ? new Date((u.started_at ?? u.scheduled_at)!).toLocaleString() : '—') },
            { header: 'Container', cell: (u) => u.container_name },
            { header: 'Image', cell: (u) => <Text size="sm" style={{ wordBreak: 'break-all' }}>{u.to_image ?? u.from_image}</Text> },
            { header: 'Trigger', cell: (u) => [u.trigger, u.strategy].filter(Boolean).join(', ') },
            {
              header: 'Status',
              cell: (u) => (
                <Badge color={statusColor(u.status)} variant="light">
                  {u.status.replace(/_/g, ' ')}
                </Badge>
              ),
            },
            { header: 'Duration', cell: (u) => u.duration ?? '—' },
            {
              header: 'Actions',
              hideHeader: true,
              align: 'right',
              cell: (u) => <UpdateActions update={u} onLog={() => setLog(u)} change={change} />,
            },
          ]}
        />
      </Section>
      <RegistryLogins />
      {form !== null && <ContainerForm editing={form === 'new' ? null : form} onClose={() => setForm(null)} onSaved={() => void containers.reload()} />}
      {logsOf && <ContainerLogs container={logsOf} onClose={() => setLogsOf(null)} />}
      <Modal opened={log !== null} onClose={() => setLog(null)} title={log ? `Log of the update of ${log.container_name}` : ''} size="xl" centered>
        {log && (
          <Code block data-testid="update-log">
            {(log.logs ?? []).map((line) => `${line.timestamp}  ${line.level.padEnd(5)}  ${line.message}`).join('\n') || 'No log lines.'}
          </Code>
        )}
      </Modal>
    </Stack>
  );
}

function UpdateActions({ update: u, onLog, change }: { update: Update; onLog: () => void; change: (run: () => Promise<unknown>) => Promise<boolean> }) {
  const { api } = useConsole();
  const when = u.started_at ? new Date(u.started_at).toLocaleString() : 'its time';
  return (
    <Group gap="xs" justify="flex-end" wrap="nowrap">
      <Button size="xs" variant="default" aria-label={`Log of update ${u.id}`} onClick={onLog}>
        Log
      </Button>
      {u.status === 'awaiting_approval' && (
        <Button size="xs" aria-label={`Approve update ${u.id}`} onClick={() => void change(() => approveUpdate(api, u.id))}>
          Approve
        </Button>
      )}
      {(u.status === 'awaiting_approval' || u.status === 'pending') && (
        <ConfirmButton
          ariaLabel={`Cancel update ${u.id}`}
          title="Cancel this update?"
          message="It will not run; the container stays as it is."
          confirmLabel="Cancel update"
          onConfirm={() => change(() => cancelUpdate(api, u.id))}
        >
          Cancel
        </ConfirmButton>
      )}
      {canRollBack(u) && (
        <ConfirmButton
          color="orange"
          ariaLabel={`Roll back update ${u.id}`}
          title={`Roll ${u.container_name} back?`}
          message={`${u.container_name} goes back to the image it ran before the update of ${when} (${u.from_digest?.slice(0, 19)}…), health-gated like any update.`}
          confirmLabel="Roll back"
          onConfirm={() => change(() => rollbackUpdate(api, u.id))}
        >
          Roll back
        </ConfirmButton>
      )}
    </Group>
  );
}
