import {
  Anchor,
  Breadcrumbs,
  Button,
  FileButton,
  Group,
  Paper,
  Progress,
  Stack,
  Table,
  Text,
  Title,
  VisuallyHidden,
} from '@mantine/core';
import { useState } from 'react';
import { describe } from '../../api/errors';
import { deleteObject, downloadObject, listObjects, uploadObject } from '../../api/storage';
import { ConfirmButton } from '../../components/ConfirmButton';
import { Problem } from '../../components/Problem';
import { useLoad } from '../../components/useLoad';
import { useConsole } from '../../console';
import { breadcrumbs, folderView, nameIn, uploadKey } from '../../logic/folders';
import { formatBytes } from '../../logic/format';

interface Props {
  base: string;
  bucket: string;
  onBack: () => void;
}

interface Upload {
  name: string;
  fraction: number;
}

/** One bucket seen as folders: browse by prefix, upload with progress, download, delete. */
export function ObjectBrowser({ base, bucket, onBack }: Props) {
  const { api } = useConsole();
  const [prefix, setPrefix] = useState('');
  const { data, error, reload, setError } = useLoad(
    () => listObjects(api, base, bucket, prefix),
    [api, base, bucket, prefix],
  );
  const [upload, setUpload] = useState<Upload | null>(null);
  const view = folderView(data ?? [], prefix);

  const send = async (file: File | null) => {
    if (!file) {
      return;
    }
    setUpload({ name: file.name, fraction: 0 });
    try {
      await uploadObject(api, base, bucket, uploadKey(prefix, file.name), file, (fraction) =>
        setUpload({ name: file.name, fraction }),
      );
      await reload();
    } catch (failure) {
      setError(describe(failure));
    } finally {
      setUpload(null);
    }
  };

  const download = async (key: string) => {
    try {
      const blob = await downloadObject(api, base, bucket, key);
      // A same-origin object URL keeps the token out of the address bar and out of history.
      const url = URL.createObjectURL(blob);
      const link = document.createElement('a');
      link.href = url;
      link.download = key.split('/').pop() || 'download';
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    } catch (failure) {
      setError(describe(failure));
    }
  };

  const remove = async (key: string) => {
    try {
      await deleteObject(api, base, bucket, key);
      await reload();
    } catch (failure) {
      setError(describe(failure));
    }
  };

  return (
    <Paper withBorder p="md" component="section" aria-labelledby="objects-title">
      <Stack>
        <Group justify="space-between" wrap="wrap">
          <Title order={3} id="objects-title">
            Bucket {bucket}
          </Title>
          <Group>
            <Button variant="default" onClick={onBack}>
              All buckets
            </Button>
            <FileButton onChange={send}>
              {(props) => (
                <Button {...props} loading={upload !== null}>
                  Upload file
                </Button>
              )}
            </FileButton>
          </Group>
        </Group>
        <Breadcrumbs aria-label="Folder">
          <Anchor component="button" type="button" onClick={() => setPrefix('')}>
            {bucket}
          </Anchor>
          {breadcrumbs(prefix).map((crumb) => (
            <Anchor component="button" type="button" key={crumb.prefix} onClick={() => setPrefix(crumb.prefix)}>
              {crumb.label}
            </Anchor>
          ))}
        </Breadcrumbs>
        {upload && (
          <Stack gap={4} role="status">
            <Text size="sm">
              Uploading {upload.name}: {Math.round(upload.fraction * 100)} %
            </Text>
            <Progress value={upload.fraction * 100} aria-label={`Upload of ${upload.name}`} animated />
          </Stack>
        )}
        <Problem error={error} onClose={() => setError(null)} />
        {data && view.folders.length === 0 && view.files.length === 0 && (
          <Text c="dimmed">Nothing here yet: upload a file.</Text>
        )}
        {(view.folders.length > 0 || view.files.length > 0) && (
          <Table.ScrollContainer minWidth={520}>
            <Table striped aria-label="Objects">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Name</Table.Th>
                  <Table.Th>Size</Table.Th>
                  <Table.Th>Last modified</Table.Th>
                  <Table.Th>
                    <VisuallyHidden>Actions</VisuallyHidden>
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {view.folders.map((folder) => (
                  <Table.Tr key={folder}>
                    <Table.Td colSpan={4}>
                      <Anchor component="button" type="button" onClick={() => setPrefix(folder)}>
                        📁 {nameIn(prefix, folder)}
                      </Anchor>
                    </Table.Td>
                  </Table.Tr>
                ))}
                {view.files.map((object) => (
                  <Table.Tr key={object.key} data-testid={`object-${object.key}`}>
                    <Table.Td>{nameIn(prefix, object.key)}</Table.Td>
                    <Table.Td>{formatBytes(object.size)}</Table.Td>
                    <Table.Td>{new Date(object.lastModified).toLocaleString()}</Table.Td>
                    <Table.Td>
                      <Group gap="xs" justify="flex-end" wrap="nowrap">
                        <Button
                          size="xs"
                          variant="default"
                          aria-label={`Download ${object.key}`}
                          onClick={() => download(object.key)}
                        >
                          Download
                        </Button>
                        <ConfirmButton
                          ariaLabel={`Delete ${object.key}`}
                          title={`Delete ${nameIn(prefix, object.key)}?`}
                          message="The object is deleted from the bucket. This cannot be undone."
                          confirmLabel="Delete object"
                          onConfirm={() => remove(object.key)}
                        >
                          Delete
                        </ConfirmButton>
                      </Group>
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
