import { InstancePage } from '../components/InstancePage';
import { Buckets } from './storage/Buckets';

/** Storage: pick an s3storage instance, then its buckets and objects. */
export function Storage({ instanceId }: { instanceId?: string }) {
  return (
    <InstancePage
      title="Storage"
      type="s3storage"
      instanceId={instanceId}
      routeTo={(id) => ({ page: 'storage', instanceId: id })}
    >
      {(instance) => <Buckets instance={instance} />}
    </InstancePage>
  );
}
