import {
  Anchor,
  Badge,
  Button,
  Group,
  Modal,
  Paper,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
  VisuallyHidden,
} from '@mantine/core';
import { useEffect, useState, type FormEvent } from 'react';
import { describe } from '../../api/errors';
import {
  createInstance,
  deleteInstance,
  listInstances,
  type CreatedInstance,
} from '../../api/identity';
import { ConfirmButton } from '../../components/ConfirmButton';
import { Problem } from '../../components/Problem';
import { Secret } from '../../components/Secret';
import { useLoad } from '../../components/useLoad';
import { useConsole } from '../../console';
import { byType, isSettled, SERVICE_TYPES, statusColor, typeKey } from '../../logic/format';
import { routePath } from '../../logic/route';

const POLL_MS = 2000;

/** The tenant's service instances by type, with create and (confirmed) delete. */
export function Instances({ onChange }: { onChange?: () => void }) {
  const { api, navigate } = useConsole();
  const { data, error, reload, setError } = useLoad(() => listInstances(api), [api]);
  const [created, setCreated] = useState<CreatedInstance | null>(null);

  // Instances start as provisioning; look again until their service has answered.
  const waiting = (data ?? []).some((instance) => !isSettled(instance.status));
  useEffect(() => {
    if (!waiting) {
      return;
    }
    const timer = window.setTimeout(() => void reload(), POLL_MS);
    return () => window.clearTimeout(timer);
  }, [waiting, data, reload]);

  const remove = async (id: string) => {
    try {
      await deleteInstance(api, id);
      await reload();
      onChange?.();
    } catch (failure) {
      setError(describe(failure));
    }
  };

  return (
    <Paper withBorder p="md" component="section" aria-labelledby="instances-title">
      <Stack>
        <Title order={3} id="instances-title">
          Service instances
        </Title>
        <CreateInstanceForm
          onCreated={async (instance) => {
            setCreated(instance);
            await reload();
            onChange?.();
          }}
        />
        <Problem error={error} onClose={() => setError(null)} />
        {data && data.length === 0 && <Text c="dimmed">No instances yet: create one above.</Text>}
        {byType(data ?? []).map((group) => (
          <Stack gap="xs" key={group.type}>
            <Title order={4}>{group.label}</Title>
            <Table.ScrollContainer minWidth={520}>
              <Table striped aria-label={`${group.label} instances`}>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Name</Table.Th>
                    <Table.Th>Status</Table.Th>
                    <Table.Th>Created</Table.Th>
                    <Table.Th>
                      <VisuallyHidden>Actions</VisuallyHidden>
                    </Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {group.items.map((instance) => (
                    <Table.Tr key={instance.id} data-testid={`instance-${instance.serviceName}`}>
                      <Table.Td>
                        {typeKey(instance.serviceType) === 's3storage' ? (
                          <Anchor
                            href={routePath({ page: 'storage', instanceId: instance.id })}
                            onClick={(event) => {
                              event.preventDefault();
                              navigate({ page: 'storage', instanceId: instance.id });
                            }}
                          >
                            {instance.serviceName}
                          </Anchor>
                        ) : (
                          instance.serviceName
                        )}
                      </Table.Td>
                      <Table.Td>
                        <Badge color={statusColor(instance.status)} variant="light">
                          {instance.status}
                        </Badge>
                      </Table.Td>
                      <Table.Td>{new Date(instance.createdAt).toLocaleString()}</Table.Td>
                      <Table.Td ta="right">
                        <ConfirmButton
                          ariaLabel={`Delete instance ${instance.serviceName}`}
                          title={`Delete ${instance.serviceName}?`}
                          message="The instance and everything in it (buckets, objects, queues, tables…) are deleted, and its keys stop working. This cannot be undone."
                          confirmLabel="Delete instance"
                          onConfirm={() => remove(instance.id)}
                        >
                          Delete
                        </ConfirmButton>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          </Stack>
        ))}
      </Stack>
      <Modal
        opened={created !== null}
        onClose={() => setCreated(null)}
        title={`Instance ${created?.serviceName ?? ''} created`}
        size="lg"
        centered
      >
        {created && (
          <Stack>
            <Text size="sm">
              These secrets are shown only now. Copy them to a safe place before closing.
            </Text>
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
    </Paper>
  );
}

function CreateInstanceForm({ onCreated }: { onCreated: (instance: CreatedInstance) => Promise<void> }) {
  const { api } = useConsole();
  const [name, setName] = useState('');
  const [type, setType] = useState<string | null>('s3storage');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!type) {
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const instance = await createInstance(api, name.trim(), type);
      setName('');
      await onCreated(instance);
    } catch (failure) {
      setError(describe(failure));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form onSubmit={submit} aria-label="Create an instance">
      <Stack gap="xs">
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
        <Problem error={error} onClose={() => setError(null)} />
      </Stack>
    </form>
  );
}
