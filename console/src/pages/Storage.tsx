import { Select, Stack, Text, Title } from '@mantine/core';
import { getInstance, listInstances } from '../api/identity';
import { Problem } from '../components/Problem';
import { useLoad } from '../components/useLoad';
import { useConsole } from '../console';
import { typeKey } from '../logic/format';
import { Buckets } from './storage/Buckets';

/** Storage: pick an s3storage instance, then its buckets and objects. */
export function Storage({ instanceId }: { instanceId?: string }) {
  const { api, navigate } = useConsole();
  const instances = useLoad(
    async () => (await listInstances(api)).filter((i) => typeKey(i.serviceType) === 's3storage'),
    [api],
  );
  const selected = useLoad(async () => (instanceId ? getInstance(api, instanceId) : null), [api, instanceId]);

  return (
    <Stack gap="lg">
      <Title order={2}>Storage</Title>
      <Problem error={instances.error ?? selected.error} />
      {instances.data && instances.data.length === 0 && (
        <Text c="dimmed">No storage instances yet: create one of type Storage (S3) on the home page.</Text>
      )}
      {instances.data && instances.data.length > 0 && (
        <Select
          label="Storage instance"
          placeholder="Choose an instance"
          maw={420}
          data={instances.data.map((i) => ({ value: i.id, label: `${i.serviceName} (${i.status})` }))}
          value={instanceId ?? null}
          onChange={(id) => id && navigate({ page: 'storage', instanceId: id })}
          allowDeselect={false}
        />
      )}
      {selected.data && selected.data.status === 'provisioning' && (
        <Text c="dimmed" role="status">
          This instance is still being provisioned; its buckets appear once it is running.
        </Text>
      )}
      {selected.data && <Buckets key={selected.data.id} instance={selected.data} />}
    </Stack>
  );
}
