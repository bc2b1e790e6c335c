import { Loader } from '@mantine/core';
import { lazy, Suspense, type ComponentType, type ReactNode } from 'react';
import type { Instance } from '../api/identity';
import { InstancePage } from '../components/InstancePage';
import { servicePage } from '../logic/planned';
import { NotFound, Planned } from './Planned';

// Each service's page is a chunk of its own, fetched when first opened: the first load (sign-in,
// home, storage) stays as small as before the pages existed.
const Queues = lazy(() => import('./services/Queues').then((m) => ({ default: m.Queues })));
const NoSqlTables = lazy(() => import('./services/NoSql').then((m) => ({ default: m.NoSqlTables })));
const RdsDatabase = lazy(() => import('./services/Rds').then((m) => ({ default: m.RdsDatabase })));
const Kafka = lazy(() => import('./services/Kafka').then((m) => ({ default: m.Kafka })));
const Functions = lazy(() => import('./services/Functions').then((m) => ({ default: m.Functions })));
const Webhooks = lazy(() => import('./services/Webhooks').then((m) => ({ default: m.Webhooks })));
const Containers = lazy(() => import('./services/Containers').then((m) => ({ default: m.Containers })));
const Orders = lazy(() => import('./services/Orders').then((m) => ({ default: m.Orders })));

/** What each built service's page shows for a chosen instance. */
const INSTANCE_VIEWS: Record<string, ComponentType<{ instance: Instance }>> = {
  queues: Queues,
  nosql: NoSqlTables,
  rds: RdsDatabase,
  kafka: Kafka,
  functions: Functions,
};

/** Tenant-wide pages, not about one instance. */
const TENANT_VIEWS: Record<string, ComponentType> = {
  webhooks: Webhooks,
  containers: Containers,
  orders: Orders,
};

const loading = <Loader aria-label="Loading the page" />;

/** A service's page: its instances and everyday tasks, or what is to come. */
export function ServicePageView({ id, instanceId }: { id: string; instanceId?: string }) {
  const page = servicePage(id);
  if (!page) {
    return <NotFound />;
  }
  const View = INSTANCE_VIEWS[id];
  if (page.instanceType && View) {
    return (
      <InstancePage
        title={page.title}
        type={page.instanceType}
        instanceId={instanceId}
        routeTo={(next) => ({ page: 'service', service: id, instanceId: next })}
      >
        {(instance): ReactNode => (
          <Suspense fallback={loading}>
            <View instance={instance} />
          </Suspense>
        )}
      </InstancePage>
    );
  }
  const TenantView = TENANT_VIEWS[id];
  return TenantView ? (
    <Suspense fallback={loading}>
      <TenantView />
    </Suspense>
  ) : (
    <Planned id={id} />
  );
}

