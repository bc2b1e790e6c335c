import { Button, Code, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import {
  clientProperties,
  createCredential,
  listCredentials,
  revokeCredential,
  rotateCredential,
  type KafkaCredential,
} from '../../api/kafka';
import { ConfirmButton } from '../../components/ConfirmButton';
import { DataTable } from '../../components/DataTable';
import { Section } from '../../components/Section';
import { Secret } from '../../components/Secret';
import { useLoad } from '../../components/useLoad';
import { useConsole } from '../../console';

/** Credentials for native Kafka clients: created and rotated with the password shown once, revoked. */
export function KafkaCredentials({ base }: { base: string }) {
  const { api } = useConsole();
  const credentials = useLoad(() => listCredentials(api, base), [api, base]);
  const [description, setDescription] = useState('');
  const [shown, setShown] = useState<KafkaCredential | null>(null);

  const create = async (event: FormEvent) => {
    event.preventDefault();
    if (await credentials.act(async () => setShown(await createCredential(api, base, description.trim())))) {
      setDescription('');
    }
  };
  const first = credentials.data?.[0];
  return (
    <Section title="Kafka client credentials" error={credentials.error} onDismiss={() => credentials.setError(null)}>
      {first && (
        <Text size="sm">
          Native clients connect to <Code>{first.bootstrapServers}</Code> ({first.securityProtocol}, {first.mechanism}); on the
          cluster, this instance&apos;s topics and groups are prefixed <Code>{first.topicPrefix}</Code>.
        </Text>
      )}
      <form onSubmit={create} aria-label="Create a Kafka credential">
        <Group align="flex-end">
          <TextInput label="Credential description" value={description} onChange={(e) => setDescription(e.currentTarget.value)} w={260} />
          <Button type="submit" loading={credentials.busy}>
            Create credential
          </Button>
        </Group>
      </form>
      <DataTable
        label="Kafka credentials"
        rows={credentials.data}
        rowKey={(c) => c.username}
        rowTestId={(c) => `credential-${c.username}`}
        empty="No credentials yet."
        columns={[
          { header: 'User', cell: (c) => <Code>{c.username}</Code> },
          { header: 'Description', cell: (c) => c.description || '—' },
          { header: 'Created', cell: (c) => new Date(c.createdAt).toLocaleString() },
          {
            header: 'Actions',
            hideHeader: true,
            align: 'right',
            cell: (c) => (
              <Group gap="xs" justify="flex-end" wrap="nowrap">
                <ConfirmButton
                  color="orange"
                  ariaLabel={`Rotate the password of ${c.username}`}
                  title="Rotate the password?"
                  message="A new password is shown once; the old one stops working (open connections end at their next re-authentication)."
                  confirmLabel="Rotate password"
                  onConfirm={() => credentials.act(async () => setShown(await rotateCredential(api, base, c.username)))}
                >
                  Rotate
                </ConfirmButton>
                <ConfirmButton
                  ariaLabel={`Revoke ${c.username}`}
                  title={`Revoke ${c.username}?`}
                  message="The user and its permissions are deleted on the cluster. This cannot be undone."
                  confirmLabel="Revoke credential"
                  onConfirm={() => credentials.act(() => revokeCredential(api, base, c.username))}
                >
                  Revoke
                </ConfirmButton>
              </Group>
            ),
          },
        ]}
      />
      <Modal opened={shown !== null} onClose={() => setShown(null)} title="Kafka credential" size="lg" centered>
        {shown && (
          <Stack>
            <Text size="sm">The password is shown only now. Copy it, or the client settings, before closing.</Text>
            <Secret label="Kafka user" value={shown.username} />
            <Secret label="Kafka password" value={shown.password ?? ''} />
            <Secret label="Client properties" value={clientProperties(shown)} />
            <Group justify="flex-end">
              <Button onClick={() => setShown(null)}>I have saved it</Button>
            </Group>
          </Stack>
        )}
      </Modal>
    </Section>
  );
}
