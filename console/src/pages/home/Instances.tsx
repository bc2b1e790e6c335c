import { Anchor, Badge, Button, Group, Modal, Select, Stack, Text, TextInput, Title } from '@mantine/core';
import { useEffect, useState, type FormEvent } from 'react';
import {
  createInstance,
  deleteInstance,
  listInstances,
  type CreatedInstance,
  type Instance,
} from '../../api/identity';
import { ConfirmButton } from '../../components/ConfirmButton';
import { DataTable } from '../../components/DataTable';
import { Section } from '../../components/Section';
import { Secret } from '../../components/Secret';
import { useLoad } from '../../components/useLoad';
import { useConsole } from '../../console';
import { byType, isSettled, SERVICE_TYPES, statusColor } from '../../logic/format';
import { instanceRoute } from '../../logic/planned';
import { routePath } from '../../logic/route';

const POLL_MS = 2000;

/** The tenant's service instances by type, with create and (confirmed) delete. */
export function Instances({ onChange }: { onChange?: () => void }) {
  const { api } = useConsole();
  const { data, error, reload, setError, act, busy } = useLoad(() => listInstances(api), [api]);
  const [created, setCreated] = useState<CreatedInstance | null>(null);
  const [name, setName] = useState('');
  const [type, setType] = useState<string | null>('s3storage');

  // Instances start as provisioning; look again until their service has answered.
  const waiting = (data ?? []).some((instance) => !isSettled(instance.status));
  useEffect(() => {
    if (!waiting) {
      return;
    }
    const timer = window.setTimeout(() => void reload(), POLL_MS);
    return () => window.clearTimeout(timer);
  }, [waiting, data, reload]);

  const create = async (event: FormEvent) => {
    event.preventDefault();
    if (type && (await act(async () => setCreated(await createInstance(api, name.trim(), type))))) {
      setName('');
      onChange?.();
    }
  };
  const remove = async (id: string) => {
    if (await act(() => deleteInstance(api, id))) {
      onChange?.();
    }
  };

  return (
    <Section title="Service instances" error={error} onDismiss={() => setError(null)}>
      <form onSubmit={create} aria-label="Create an instance">
        <Group align="flex-end" wrap="wrap">
          <TextInput
            label="Instance name"
            required
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            style={{ flex: '1 1 200px' }}
          />
          <Select
            label="Type"
            data={SERVICE_TYPES.map((t) => ({ value: t.value, label: t.label }))}
            value={type}
            onChange={setType}
            allowDeselect={false}
            style={{ flex: '1 1 200px' }}
          />
          <Button type="submit" loading={busy}>
            Create instance
          </Button>
        </Group>
      </form>
      {data && data.length === 0 && <Text c="dimmed">No instances yet: create one above.</Text>}
      {byType(data ?? []).map((group) => (
        <Stack gap="xs" key={group.type}>
          <Title order={4}>{group.label}</Title>
          <DataTable
            label={`${group.label} instances`}
            rows={group.items}
            rowKey={(i) => i.id}
            rowTestId={(i) => `instance-${i.serviceName}`}
            empty=""
            minWidth={520}
            columns={[
              { header: 'Name', cell: (i) => <InstanceName instance={i} /> },
              {
                header: 'Status',
                cell: (i) => (
                  <Badge color={statusColor(i.status)} variant="light">
                    {i.status}
                  </Badge>
                ),
              },
              { header: 'Created', cell: (i) => new Date(i.createdAt).toLocaleString() },
              {
                header: 'Actions',
                hideHeader: true,
                align: 'right',
                cell: (i) => (
                  <ConfirmButton
                    ariaLabel={`Delete instance ${i.serviceName}`}
                    title={`Delete ${i.serviceName}?`}
                    message="The instance and everything in it (buckets, objects, queues, tables…) are deleted, and its keys stop working. This cannot be undone."
                    confirmLabel="Delete instance"
                    onConfirm={() => remove(i.id)}
                  >
                    Delete
                  </ConfirmButton>
                ),
              },
            ]}
          />
        </Stack>
      ))}
      <Modal
        opened={created !== null}
        onClose={() => setCreated(null)}
        title={`Instance ${created?.serviceName ?? ''} created`}
        size="lg"
        centered
      >
        {created && (
          <Stack>
            <Text size="sm">These secrets are shown only now. Copy them to a safe place before closing.</Text>
            <Secret label="API key" value={created.apiKey} />
            {created.s3Credentials && (
              <>
                <Secret label="Access key ID" value={created.s3Credentials.accessKeyId} />
                <Secret label="Secret access key" value={created.s3Credentials.secretAccessKey} />
              </>
            )}
            <Group justify="flex-end">
              <Button onClick={() => setCreated(null)}>I have saved them</Button>
            </Group>
          </Stack>
        )}
      </Modal>
    </Section>
  );
}

/** An instance's name, a link to its service's page when the console has one. */
function InstanceName({ instance }: { instance: Instance }) {
  const { navigate } = useConsole();
  const route = instanceRoute(instance);
  if (!route) {
    return <>{instance.serviceName}</>;
  }
  return (
    <Anchor
      href={routePath(route)}
      onClick={(event) => {
        event.preventDefault();
        navigate(route);
      }}
    >
      {instance.serviceName}
    </Anchor>
  );
}
