import { Anchor, Button, Checkbox, Group, Paper, Stack, Table, Text, TextInput, Title, VisuallyHidden } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { describe } from '../../api/errors';
import type { Instance } from '../../api/identity';
import { createBucket, deleteBucket, instanceBase, listBuckets } from '../../api/storage';
import { ConfirmButton } from '../../components/ConfirmButton';
import { Problem } from '../../components/Problem';
import { useLoad } from '../../components/useLoad';
import { useConsole } from '../../console';
import { ObjectBrowser } from './ObjectBrowser';

/** An instance's buckets: list, create, delete (empty only), open one. */
export function Buckets({ instance }: { instance: Instance }) {
  const { api } = useConsole();
  const base = instanceBase(instance);
  const { data, error, reload, setError } = useLoad(() => listBuckets(api, base), [api, base]);
  const [open, setOpen] = useState<string | null>(null);
  const [name, setName] = useState('');
  const [versioning, setVersioning] = useState(false);
  const [encryption, setEncryption] = useState(false);
  const [busy, setBusy] = useState(false);

  const create = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    try {
      await createBucket(api, base, name.trim(), { versioning, encryption, publicAccess: false });
      setName('');
      await reload();
    } catch (failure) {
      setError(describe(failure));
    } finally {
      setBusy(false);
    }
  };

  const remove = async (bucket: string) => {
    try {
      await deleteBucket(api, base, bucket);
      if (open === bucket) {
        setOpen(null);
      }
      await reload();
    } catch (failure) {
      setError(describe(failure));
    }
  };

  if (open) {
    return <ObjectBrowser base={base} bucket={open} onBack={() => setOpen(null)} />;
  }
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="buckets-title">
      <Stack>
        <Title order={3} id="buckets-title">
          Buckets of {instance.serviceName}
        </Title>
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
            <Button type="submit" loading={busy}>
              Create bucket
            </Button>
          </Group>
        </form>
        <Problem error={error} onClose={() => setError(null)} />
        {data && data.length === 0 && <Text c="dimmed">No buckets yet.</Text>}
        {data && data.length > 0 && (
          <Table.ScrollContainer minWidth={480}>
            <Table striped aria-label="Buckets">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Name</Table.Th>
                  <Table.Th>Settings</Table.Th>
                  <Table.Th>Created</Table.Th>
                  <Table.Th>
                    <VisuallyHidden>Actions</VisuallyHidden>
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {data.map((bucket) => (
                  <Table.Tr key={bucket.name}>
                    <Table.Td>
                      <Anchor component="button" type="button" onClick={() => setOpen(bucket.name)}>
                        {bucket.name}
                      </Anchor>
                    </Table.Td>
                    <Table.Td>
                      {[bucket.versioning && 'versioned', bucket.encryption && 'encrypted', bucket.publicAccess && 'public']
                        .filter(Boolean)
                        .join(', ') || '—'}
                    </Table.Td>
                    <Table.Td>{new Date(bucket.createdAt).toLocaleString()}</Table.Td>
                    <Table.Td ta="right">
                      <ConfirmButton
                        ariaLabel={`Delete bucket ${bucket.name}`}
                        title={`Delete bucket ${bucket.name}?`}
                        message="Only an empty bucket can be deleted. This cannot be undone."
                        confirmLabel="Delete bucket"
                        onConfirm={() => remove(bucket.name)}
                      >
                        Delete
                      </ConfirmButton>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Stack>
    </Paper>
  );
}
