import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import type { Instance } from '../../api/identity';
import { createAccessKey, listAccessKeys, revokeAccessKey } from '../../api/storage';
import { ConfirmButton } from '../../components/ConfirmButton';
import { DataTable } from '../../components/DataTable';
import { Section } from '../../components/Section';
import { Secret } from '../../components/Secret';
import { useLoad } from '../../components/useLoad';
import { useConsole } from '../../console';

interface Props {
  instance: Instance;
}

interface NewPair {
  accessKeyId: string;
  secretAccessKey: string;
}

/**
 * An instance's S3 access key pairs: list, create (the secret shown once, for S3 clients), revoke.
 * The console itself never holds a secret: storage-service signs share links server-side.
 */
export function AccessKeys({ instance }: Props) {
  const { api } = useConsole();
  const keys = useLoad(() => listAccessKeys(api, instance.id), [api, instance.id]);
  const [created, setCreated] = useState<NewPair | null>(null);

  const create = () =>
    keys.act(async () => {
      const pair = await createAccessKey(api, instance.id);
      setCreated({ accessKeyId: pair.accessKeyId, secretAccessKey: pair.secretAccessKey });
    });
  const revoke = (id: string) => keys.act(() => revokeAccessKey(api, instance.id, id));

  return (
    <Section
      title={`Access keys of ${instance.serviceName}`}
      error={keys.error}
      onDismiss={() => keys.setError(null)}
      actions={
        <Button onClick={() => void create()} loading={keys.busy}>
          Create access key
        </Button>
      }
    >
      <Text size="sm" c="dimmed">
        S3 clients sign with an access key pair. Share links are signed by storage-service with one of these keys: the console keeps
        no secret.
      </Text>
      <DataTable
        label="Access keys"
        rows={keys.data}
        rowKey={(k) => k.accessKeyId}
        rowTestId={(k) => `access-key-${k.accessKeyId}`}
        empty="No access keys."
        columns={[
          { header: 'Access key ID', cell: (k) => k.accessKeyId },
          { header: 'Created', cell: (k) => new Date(k.createdAt).toLocaleString() },
          {
            header: 'Actions',
            hideHeader: true,
            align: 'right',
            cell: (k) => (
              <ConfirmButton
                ariaLabel={`Revoke ${k.accessKeyId}`}
                title={`Revoke ${k.accessKeyId}?`}
                message="Clients signing with this pair are refused within 30 seconds, and links it signed stop working. This cannot be undone."
                confirmLabel="Revoke key"
                onConfirm={() => revoke(k.accessKeyId)}
              >
                Revoke
              </ConfirmButton>
            ),
          },
        ]}
      />
      <Modal opened={created !== null} onClose={() => setCreated(null)} title="New access key" size="lg" centered>
        {created && (
          <Stack>
            <Text size="sm">The secret is shown only now.</Text>
            <Secret label="Access key ID" value={created.accessKeyId} />
            <Secret label="Secret access key" value={created.secretAccessKey} />
            <Group justify="flex-end">
              <Button onClick={() => setCreated(null)}>I have saved it</Button>
            </Group>
          </Stack>
        )}
      </Modal>
    </Section>
  );
}
