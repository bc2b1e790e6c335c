import type { ReactNode } from 'react';
import type { Instance } from '../api/identity';
import { InstancePage } from '../components/InstancePage';
import { servicePage } from '../logic/planned';
import { NotFound, Planned } from './Planned';
import { Functions } from './services/Functions';
import { Kafka } from './services/Kafka';
import { NoSqlTables } from './services/NoSql';
import { Queues } from './services/Queues';
import { RdsDatabase } from './services/Rds';
import { Webhooks } from './services/Webhooks';

/** What each built service's page shows for a chosen instance. */
const INSTANCE_VIEWS: Record<string, (instance: Instance) => ReactNode> = {
  queues: (instance) => <Queues instance={instance} />,
  nosql: (instance) => <NoSqlTables instance={instance} />,
  rds: (instance) => <RdsDatabase instance={instance} />,
  kafka: (instance) => <Kafka instance={instance} />,
  functions: (instance) => <Functions instance={instance} />,
};

/** Tenant-wide pages, not about one instance. */
const TENANT_VIEWS: Record<string, () => ReactNode> = {
  webhooks: () => <Webhooks />,
};

/** A service's page: its instances and everyday tasks, or what is to come. */
export function ServicePageView({ id, instanceId }: { id: string; instanceId?: string }) {
  const page = servicePage(id);
  if (!page) {
    return <NotFound />;
  }
  const view = INSTANCE_VIEWS[id];
  if (page.instanceType && view) {
    return (
      <InstancePage
        title={page.title}
        type={page.instanceType}
        instanceId={instanceId}
        routeTo={(next) => ({ page: 'service', service: id, instanceId: next })}
      >
        {view}
      </InstancePage>
    );
  }
  const tenantView = TENANT_VIEWS[id];
  return tenantView ? <>{tenantView()}</> : <Planned id={id} />;
}
