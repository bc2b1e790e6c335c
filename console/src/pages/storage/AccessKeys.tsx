import { Button, Group, Modal, PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import type { Instance } from '../../api/identity';
import { createAccessKey, listAccessKeys, revokeAccessKey } from '../../api/s3config';
import type { AccessKey } from '../../api/sigv4';
import { ConfirmButton } from '../../components/ConfirmButton';
import { DataTable } from '../../components/DataTable';
import { Section } from '../../components/Section';
import { Secret } from '../../components/Secret';
import { useLoad } from '../../components/useLoad';
import { useConsole } from '../../console';

interface Props {
  instance: Instance;
  /** The pair this tab signs S3 requests with (share links, bucket settings); memory only. */
  signing: AccessKey | null;
  onSigning: (key: AccessKey | null) => void;
}

/**
 * An instance's S3 access key pairs: list, create (the secret shown once), revoke; and the pair
 * the console signs with, made here or typed in, kept in this tab's memory only.
 */
export function AccessKeys({ instance, signing, onSigning }: Props) {
  const { api } = useConsole();
  const keys = useLoad(() => listAccessKeys(api, instance.id), [api, instance.id]);
  const [created, setCreated] = useState<AccessKey | null>(null);
  const [keyId, setKeyId] = useState('');
  const [secret, setSecret] = useState('');

  const create = () =>
    keys.act(async () => {
      const pair = await createAccessKey(api, instance.id);
      setCreated({ accessKeyId: pair.accessKeyId, secretAccessKey: pair.secretAccessKey });
    });
  const revoke = (id: string) =>
    keys.act(async () => {
      await revokeAccessKey(api, instance.id, id);
      if (signing?.accessKeyId === id) {
        onSigning(null);
      }
    });
  const signWithTyped = (event: FormEvent) => {
    event.preventDefault();
    onSigning({ accessKeyId: keyId.trim(), secretAccessKey: secret.trim() });
    setSecret('');
  };

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
        S3 clients sign with an access key pair. Share links and bucket settings are signed in this tab with the pair chosen below; it
        is kept in memory only and forgotten on reload.
      </Text>
      <DataTable
        label="Access keys"
        rows={keys.data}
        rowKey={(k) => k.accessKeyId}
        rowTestId={(k) => `access-key-${k.accessKeyId}`}
        empty="No access keys."
        columns={[
          { header: 'Access key ID', cell: (k) => k.accessKeyId + (k.accessKeyId === signing?.accessKeyId ? ' (signing here)' : '') },
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
      {signing ? (
        <Group>
          <Text size="sm" role="status">
            Signing with {signing.accessKeyId}.
          </Text>
          <Button size="xs" variant="default" onClick={() => onSigning(null)}>
            Forget it
          </Button>
        </Group>
      ) : (
        <form onSubmit={signWithTyped} aria-label="Sign with an access key">
          <Group align="flex-end" wrap="wrap">
            <TextInput label="Access key ID" required value={keyId} onChange={(e) => setKeyId(e.currentTarget.value)} w={240} />
            <PasswordInput label="Secret access key" required value={secret} onChange={(e) => setSecret(e.currentTarget.value)} w={320} />
            <Button type="submit" variant="default">
              Sign with this key
            </Button>
          </Group>
        </form>
      )}
      <Modal opened={created !== null} onClose={() => setCreated(null)} title="New access key" size="lg" centered>
        {created && (
          <Stack>
            <Text size="sm">The secret is shown only now.</Text>
            <Secret label="Access key ID" value={created.accessKeyId} />
            <Secret label="Secret access key" value={created.secretAccessKey} />
            <Group justify="flex-end">
              <Button
                variant="default"
                onClick={() => {
                  onSigning(created);
                  setCreated(null);
                }}
              >
                Sign with it in this tab
              </Button>
              <Button onClick={() => setCreated(null)}>I have saved it</Button>
            </Group>
          </Stack>
        )}
      </Modal>
    </Section>
  );
}
