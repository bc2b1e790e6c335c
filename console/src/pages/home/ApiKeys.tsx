import { Badge, Button, Group, Modal, MultiSelect, Stack, Text, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { createApiKey, listApiKeys, revokeApiKey, type CreatedApiKey } from '../../api/identity';
import { ConfirmButton } from '../../components/ConfirmButton';
import { DataTable } from '../../components/DataTable';
import { Section } from '../../components/Section';
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
  const keys = useLoad(() => listApiKeys(api), [api]);
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<string[]>(['read']);
  const [created, setCreated] = useState<CreatedApiKey | null>(null);

  const create = async (event: FormEvent) => {
    event.preventDefault();
    if (await keys.act(async () => setCreated(await createApiKey(api, name.trim(), scopes)))) {
      setName('');
      onChange?.();
    }
  };
  const revoke = async (id: string) => {
    if (await keys.act(() => revokeApiKey(api, id))) {
      onChange?.();
    }
  };

  return (
    <Section title="API keys" error={keys.error} onDismiss={() => keys.setError(null)}>
      <form onSubmit={create} aria-label="Create an API key">
        <Group align="flex-end" wrap="wrap">
          <TextInput label="Key name" required value={name} onChange={(e) => setName(e.currentTarget.value)} style={{ flex: '1 1 200px' }} />
          <MultiSelect label="Scopes" data={SCOPES} value={scopes} onChange={setScopes} style={{ flex: '1 1 200px' }} />
          <Button type="submit" loading={keys.busy} disabled={scopes.length === 0}>
            Create key
          </Button>
        </Group>
      </form>
      <DataTable
        label="API keys"
        rows={keys.data}
        rowKey={(k) => k.id}
        empty="No API keys."
        minWidth={520}
        columns={[
          { header: 'Name', cell: (k) => k.name },
          { header: 'Prefix', cell: (k) => <code>{k.prefix}</code> },
          {
            header: 'Scopes',
            cell: (k) => (
              <Group gap={4}>
                {k.scopes.map((scope) => (
                  <Badge key={scope} variant="outline">
                    {scope}
                  </Badge>
                ))}
              </Group>
            ),
          },
          { header: 'Created', cell: (k) => new Date(k.createdAt).toLocaleString() },
          {
            header: 'Actions',
            hideHeader: true,
            align: 'right',
            cell: (k) => (
              <ConfirmButton
                ariaLabel={`Revoke API key ${k.name}`}
                title={`Revoke ${k.name}?`}
                message="Programs using this key are refused within seconds. This cannot be undone."
                confirmLabel="Revoke key"
                onConfirm={() => revoke(k.id)}
              >
                Revoke
              </ConfirmButton>
            ),
          },
        ]}
      />
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
    </Section>
  );
}
