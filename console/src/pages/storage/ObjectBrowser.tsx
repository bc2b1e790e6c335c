import { Anchor, Breadcrumbs, Button, FileButton, Group, Progress, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { deleteObject, downloadObject, listObjects, uploadObject, type StoredObject } from '../../api/storage';
import { ConfirmButton } from '../../components/ConfirmButton';
import { DataTable } from '../../components/DataTable';
import { Section } from '../../components/Section';
import { useLoad } from '../../components/useLoad';
import { useConsole } from '../../console';
import { breadcrumbs, folderView, nameIn, uploadKey } from '../../logic/folders';
import { formatBytes } from '../../logic/format';
import { ShareLink } from './ShareLink';

interface Props {
  base: string;
  bucket: string;
  /** The instance, whose access keys sign share links. */
  serviceId: string;
  onBack: () => void;
}

interface Upload {
  name: string;
  fraction: number;
}

/** A row of the folder view: a sub-folder (its prefix) or an object. */
type Entry = { folder: string } | { object: StoredObject };

/** One bucket seen as folders: browse by prefix, upload with progress, download, delete. */
export function ObjectBrowser({ base, serviceId, bucket, onBack }: Props) {
  const { api } = useConsole();
  const [prefix, setPrefix] = useState('');
  const objects = useLoad(() => listObjects(api, base, bucket, prefix), [api, base, bucket, prefix]);
  const [upload, setUpload] = useState<Upload | null>(null);
  const [sharing, setSharing] = useState<string | null>(null);
  const view = folderView(objects.data ?? [], prefix);
  const entries: Entry[] | null = objects.data && [
    ...view.folders.map((folder) => ({ folder })),
    ...view.files.map((object) => ({ object })),
  ];

  const send = async (file: File | null) => {
    if (!file) {
      return;
    }
    setUpload({ name: file.name, fraction: 0 });
    await objects.act(() =>
      uploadObject(api, base, bucket, uploadKey(prefix, file.name), file, (fraction) => setUpload({ name: file.name, fraction })),
    );
    setUpload(null);
  };

  const download = (key: string) =>
    objects.act(
      async () => {
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
      },
      { reload: false },
    );

  return (
    <Section
      title={`Bucket ${bucket}`}
      error={objects.error}
      onDismiss={() => objects.setError(null)}
      actions={
        <>
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
        </>
      }
    >
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
      <DataTable
        label="Objects"
        rows={entries}
        rowKey={(e) => ('folder' in e ? `folder:${e.folder}` : e.object.key)}
        rowTestId={(e) => ('folder' in e ? `folder-${e.folder}` : `object-${e.object.key}`)}
        empty="Nothing here yet: upload a file."
        minWidth={520}
        columns={[
          {
            header: 'Name',
            cell: (e) =>
              'folder' in e ? (
                <Anchor component="button" type="button" onClick={() => setPrefix(e.folder)}>
                  📁 {nameIn(prefix, e.folder)}
                </Anchor>
              ) : (
                nameIn(prefix, e.object.key)
              ),
          },
          { header: 'Size', cell: (e) => ('object' in e ? formatBytes(e.object.size) : '') },
          { header: 'Last modified', cell: (e) => ('object' in e ? new Date(e.object.lastModified).toLocaleString() : '') },
          {
            header: 'Actions',
            hideHeader: true,
            align: 'right',
            cell: (e) =>
              'object' in e && (
                <Group gap="xs" justify="flex-end" wrap="nowrap">
                  <Button size="xs" variant="default" aria-label={`Download ${e.object.key}`} onClick={() => void download(e.object.key)}>
                    Download
                  </Button>
                  <Button
                    size="xs"
                    variant="default"
                    aria-label={`Share ${e.object.key}`}
                    onClick={() => setSharing(e.object.key)}
                  >
                    Share link
                  </Button>
                  <ConfirmButton
                    ariaLabel={`Delete ${e.object.key}`}
                    title={`Delete ${nameIn(prefix, e.object.key)}?`}
                    message="The object is deleted from the bucket. This cannot be undone."
                    confirmLabel="Delete object"
                    onConfirm={() => objects.act(() => deleteObject(api, base, bucket, e.object.key))}
                  >
                    Delete
                  </ConfirmButton>
                </Group>
              ),
          },
        ]}
      />
      {sharing && <ShareLink base={base} serviceId={serviceId} bucket={bucket} objectKey={sharing} onClose={() => setSharing(null)} />}
    </Section>
  );
}
