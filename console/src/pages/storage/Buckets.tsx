import { Anchor, Button, Checkbox, Group, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import type { Instance } from '../../api/identity';
import { createBucket, deleteBucket, instanceBase, listBuckets } from '../../api/storage';
import { ConfirmButton } from '../../components/ConfirmButton';
import { DataTable } from '../../components/DataTable';
import { Section } from '../../components/Section';
import { useLoad } from '../../components/useLoad';
import { useConsole } from '../../console';
import { AccessKeys } from './AccessKeys';
import { BucketSettings } from './BucketSettings';
import { ObjectBrowser } from './ObjectBrowser';

/**
 * An instance's buckets: list, create, delete (empty only), open one, its settings; and the
 * instance's access keys (for S3 clients, and to sign share links with, server-side).
 */
export function Buckets({ instance }: { instance: Instance }) {
  const { api } = useConsole();
  const base = instanceBase(instance);
  const buckets = useLoad(() => listBuckets(api, base), [api, base]);
  const [open, setOpen] = useState<string | null>(null);
  const [settingsOf, setSettingsOf] = useState<string | null>(null);
  const [name, setName] = useState('');
  const [versioning, setVersioning] = useState(false);
  const [encryption, setEncryption] = useState(false);

  const create = async (event: FormEvent) => {
    event.preventDefault();
    if (await buckets.act(() => createBucket(api, base, name.trim(), { versioning, encryption, publicAccess: false }))) {
      setName('');
    }
  };
  const remove = async (bucket: string) => {
    if ((await buckets.act(() => deleteBucket(api, base, bucket))) && open === bucket) {
      setOpen(null);
    }
  };

  const keys = <AccessKeys instance={instance} />;
  if (open) {
    return (
      <>
        <ObjectBrowser base={base} serviceId={instance.id} bucket={open} onBack={() => setOpen(null)} />
        {keys}
      </>
    );
  }
  if (settingsOf) {
    return (
      <>
        <BucketSettings base={base} bucket={settingsOf} onBack={() => setSettingsOf(null)} />
        {keys}
      </>
    );
  }
  return (
    <>
    <Section title={`Buckets of ${instance.serviceName}`} error={buckets.error} onDismiss={() => buckets.setError(null)}>
      <form onSubmit={create} aria-label="Create a bucket">
        <Group align="flex-end" wrap="wrap">
          <TextInput
            label="Bucket name"
            description="3–63 lower-case letters, digits, dots and hyphens"
            required
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            style={{ flex: '1 1 220px' }}
          />
          <Checkbox label="Versioning" checked={versioning} onChange={(e) => setVersioning(e.currentTarget.checked)} />
          <Checkbox label="Encryption" checked={encryption} onChange={(e) => setEncryption(e.currentTarget.checked)} />
          <Button type="submit" loading={buckets.busy}>
            Create bucket
          </Button>
        </Group>
      </form>
      <DataTable
        label="Buckets"
        rows={buckets.data}
        rowKey={(b) => b.name}
        empty="No buckets yet."
        columns={[
          {
            header: 'Name',
            cell: (b) => (
              <Anchor component="button" type="button" onClick={() => setOpen(b.name)}>
                {b.name}
              </Anchor>
            ),
          },
          {
            header: 'Settings',
            cell: (b) =>
              [b.versioning && 'versioned', b.encryption && 'encrypted', b.publicAccess && 'public'].filter(Boolean).join(', ') || '—',
          },
          { header: 'Created', cell: (b) => new Date(b.createdAt).toLocaleString() },
          {
            header: 'Actions',
            hideHeader: true,
            align: 'right',
            cell: (b) => (
              <Group gap="xs" justify="flex-end" wrap="nowrap">
              <Button
                size="xs"
                variant="default"
                aria-label={`Settings of ${b.name}`}
                onClick={() => setSettingsOf(b.name)}
              >
                Settings
              </Button>
              <ConfirmButton
                ariaLabel={`Delete bucket ${b.name}`}
                title={`Delete bucket ${b.name}?`}
                message="Only an empty bucket can be deleted. This cannot be undone."
                confirmLabel="Delete bucket"
                onConfirm={() => remove(b.name)}
              >
                Delete
              </ConfirmButton>
              </Group>
            ),
          },
        ]}
      />
    </Section>
    {keys}
    </>
  );
}
