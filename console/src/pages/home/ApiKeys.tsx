import { Badge, Button, Group, Modal, MultiSelect, Paper, Stack, Table, Text, TextInput, Title, VisuallyHidden } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { describe } from '../../api/errors';
import { createApiKey, listApiKeys, revokeApiKey, type CreatedApiKey } from '../../api/identity';
import { ConfirmButton } from '../../components/ConfirmButton';
import { Problem } from '../../components/Problem';
import { Secret } from '../../components/Secret';
import { useLoad } from '../../components/useLoad';
import { useConsole } from '../../console';

const SCOPES = [
  { value: 'read', label: 'read' },
  { value: 'write', label: 'write' },
  { value: '*', label: '* (everything)' },
];

/** Tenant-wide API keys: listed by prefix, created (the key shown once), revoked. */
export function ApiKeys({ onChange }: { onChange?: () => void }) {
  const { api } = useConsole();
  const { data, error, reload, setError } = useLoad(() => listApiKeys(api), [api]);
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<string[]>(['read']);
  const [busy, setBusy] = useState(false);
  const [created, setCreated] = useState<CreatedApiKey | null>(null);

  const create = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    try {
      setCreated(await createApiKey(api, name.trim(), scopes));
      setName('');
      await reload();
      onChange?.();
    } catch (failure) {
      setError(describe(failure));
    } finally {
      setBusy(false);
    }
  };

  const revoke = async (id: string) => {
    try {
      await revokeApiKey(api, id);
      await reload();
      onChange?.();
    } catch (failure) {
      setError(describe(failure));
    }
  };

  return (
    <Paper withBorder p="md" component="section" aria-labelledby="keys-title">
      <Stack>
        <Title order={3} id="keys-title">
          API keys
        </Title>
        <form onSubmit={create} aria-label="Create an API key">
          <Group align="flex-end" wrap="wrap">
            <TextInput
              label="Key name"
              required
              value={name}
              onChange={(e) => setName(e.currentTarget.value)}
              style={{ flex: '1 1 200px' }}
            />
            <MultiSelect
              label="Scopes"
              data={SCOPES}
              value={scopes}
              onChange={setScopes}
              style={{ flex: '1 1 200px' }}
            />
            <Button type="submit" loading={busy} disabled={scopes.length === 0}>
              Create key
            </Button>
          </Group>
        </form>
        <Problem error={error} onClose={() => setError(null)} />
        {data && data.length === 0 && <Text c="dimmed">No API keys.</Text>}
        {data && data.length > 0 && (
          <Table.ScrollContainer minWidth={520}>
            <Table striped aria-label="API keys">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Name</Table.Th>
                  <Table.Th>Prefix</Table.Th>
                  <Table.Th>Scopes</Table.Th>
                  <Table.Th>Created</Table.Th>
                  <Table.Th>
                    <VisuallyHidden>Actions</VisuallyHidden>
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {data.map((key) => (
                  <Table.Tr key={key.id}>
                    <Table.Td>{key.name}</Table.Td>
                    <Table.Td>
                      <code>{key.prefix}</code>
                    </Table.Td>
                    <Table.Td>
                      <Group gap={4}>
                        {key.scopes.map((scope) => (
                          <Badge key={scope} variant="outline">
                            {scope}
                          </Badge>
                        ))}
                      </Group>
                    </Table.Td>
                    <Table.Td>{new Date(key.createdAt).toLocaleString()}</Table.Td>
                    <Table.Td ta="right">
                      <ConfirmButton
                        ariaLabel={`Revoke API key ${key.name}`}
                        title={`Revoke ${key.name}?`}
                        message="Programs using this key are refused within seconds. This cannot be undone."
                        confirmLabel="Revoke key"
                        onConfirm={() => revoke(key.id)}
                      >
                        Revoke
                      </ConfirmButton>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Stack>
      <Modal opened={created !== null} onClose={() => setCreated(null)} title="API key created" size="lg" centered>
        {created && (
          <Stack>
            <Text size="sm">This key is shown only now. Copy it before closing.</Text>
            <Secret label="API key" value={created.key} />
            <Group justify="flex-end">
              <Button onClick={() => setCreated(null)}>I have saved it</Button>
            </Group>
          </Stack>
        )}
      </Modal>
    </Paper>
  );
}
