import { Button, Group, Modal, Select, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { createShareLink, listAccessKeys, type ShareLinkInfo } from '../../api/storage';
import { Problem } from '../../components/Problem';
import { Secret } from '../../components/Secret';
import { useLoad } from '../../components/useLoad';
import { useConsole } from '../../console';

/** How long a link may last: S3 allows 1 s to 7 days. */
export const EXPIRIES = [
  { value: '300', label: '5 minutes' },
  { value: '3600', label: '1 hour' },
  { value: '86400', label: '1 day' },
  { value: '604800', label: '7 days' },
];

interface Props {
  base: string;
  serviceId: string;
  bucket: string;
  objectKey: string;
  onClose: () => void;
}

/**
 * Makes a presigned GET link of one object. storage-service signs it with the instance's access
 * key chosen here (the first by default): the secret never reaches the browser. Anyone with the
 * link reads the object until it expires, or until that key is revoked.
 */
export function ShareLink({ base, serviceId, bucket, objectKey, onClose }: Props) {
  const { api } = useConsole();
  const keys = useLoad(() => listAccessKeys(api, serviceId), [api, serviceId]);
  const [chosen, setChosen] = useState<string | null>(null);
  const [expires, setExpires] = useState('3600');
  const [link, setLink] = useState<ShareLinkInfo | null>(null);
  const [error, setError] = useState<string | null>(null);
  const keyId = chosen ?? keys.data?.[0]?.accessKeyId ?? null;

  const make = async () => {
    if (!keyId) {
      return;
    }
    try {
      setLink(await createShareLink(api, base, bucket, objectKey, Number(expires), keyId));
      setError(null);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };

  return (
    <Modal opened onClose={onClose} title={`Share ${objectKey}`} size="lg" centered>
      <Stack>
        {keys.data && keys.data.length === 0 ? (
          <Text size="sm" role="status">
            Links are signed with one of the instance&apos;s access keys, and it has none: create one under Access keys first.
          </Text>
        ) : (
          <Group align="flex-end">
            <Select
              label="Signed with"
              data={(keys.data ?? []).map((k) => k.accessKeyId)}
              value={keyId}
              onChange={setChosen}
              allowDeselect={false}
              w={240}
            />
            <Select label="Link expires after" data={EXPIRIES} value={expires} onChange={(v) => setExpires(v ?? '3600')} allowDeselect={false} w={200} />
            <Button onClick={() => void make()} disabled={!keyId}>
              Make link
            </Button>
          </Group>
        )}
        <Problem error={error ?? keys.error} onClose={() => (error ? setError(null) : keys.setError(null))} />
        {link && (
          <>
            <Secret label="Share link" value={link.url} />
            <Text size="xs" c="dimmed">
              Anyone with the link can download the object until {new Date(link.expiresAt).toLocaleString()}, or until {link.accessKeyId}{' '}
              is revoked.
            </Text>
          </>
        )}
      </Stack>
    </Modal>
  );
}
