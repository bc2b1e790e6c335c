import { Button, Group, Modal, Select, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { presignGet, type AccessKey } from '../../api/sigv4';
import { Problem } from '../../components/Problem';
import { Secret } from '../../components/Secret';

/** How long a link may last: S3 allows 1 s to 7 days. */
export const EXPIRIES = [
  { value: '300', label: '5 minutes' },
  { value: '3600', label: '1 hour' },
  { value: '86400', label: '1 day' },
  { value: '604800', label: '7 days' },
];

/**
 * Makes a presigned GET link of one object, signed in the browser with the tab's access key
 * (storage-service checks it as any S3 presigned URL: anyone with the link reads the object until
 * it expires, or until the key is revoked).
 */
export function ShareLink({ bucket, objectKey, signing, onClose }: { bucket: string; objectKey: string; signing: AccessKey; onClose: () => void }) {
  const [expires, setExpires] = useState('3600');
  const [link, setLink] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const make = async () => {
    try {
      setLink(await presignGet(signing, window.location.origin, bucket, objectKey, Number(expires)));
      setError(null);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };

  return (
    <Modal opened onClose={onClose} title={`Share ${objectKey}`} size="lg" centered>
      <Stack>
        <Group align="flex-end">
          <Select label="Link expires after" data={EXPIRIES} value={expires} onChange={(v) => setExpires(v ?? '3600')} allowDeselect={false} w={200} />
          <Button onClick={() => void make()}>Make link</Button>
        </Group>
        <Problem error={error} onClose={() => setError(null)} />
        {link && (
          <>
            <Secret label="Share link" value={link} />
            <Text size="xs" c="dimmed">
              Anyone with the link can download the object until it expires, or until {signing.accessKeyId} is revoked.
            </Text>
          </>
        )}
      </Stack>
    </Modal>
  );
}
