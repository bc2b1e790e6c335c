import type { Route } from './route';
import { typeKey } from './format';

/**
 * The services' pages besides storage: what each lets a user do (issue 32) and where its API is
 * documented. `instanceType` names the instances a page works on (the page first asks which);
 * `built: false` pages only say what is to come.
 */
export interface ServicePage {
  id: string;
  title: string;
  doc: string;
  tasks: string[];
  instanceType?: string;
  built: boolean;
}

export const SERVICE_PAGES: ServicePage[] = [
  {
    id: 'queues',
    title: 'Queues',
    doc: 'docs/queue.md',
    instanceType: 'queue',
    built: true,
    tasks: ['Create and delete queues', 'Send, peek and purge messages', 'Redrive a dead-letter queue'],
  },
  {
    id: 'nosql',
    title: 'NoSQL tables',
    doc: 'docs/nosql.md',
    instanceType: 'nosqldatabase',
    built: true,
    tasks: ['Create tables with keys and indexes', 'Put, get and delete items', 'Query and scan'],
  },
  {
    id: 'rds',
    title: 'Relational databases',
    doc: 'docs/rds.md',
    instanceType: 'rdsdatabase',
    built: true,
    tasks: ['Connection details', 'Run SQL', 'Backups and restore'],
  },
  {
    id: 'kafka',
    title: 'Kafka',
    doc: 'docs/kafka.md',
    instanceType: 'kafka',
    built: true,
    tasks: ['Topics', 'Produce records', 'Tail a topic live', 'Consumer lag', 'Tenant Kafka credentials'],
  },
  {
    id: 'functions',
    title: 'Functions',
    doc: 'docs/function.md',
    instanceType: 'function',
    built: true,
    tasks: ['Deploy a function', 'Invoke it with a payload', 'Logs and metrics'],
  },
  {
    id: 'webhooks',
    title: 'Webhooks',
    doc: 'docs/integration.md',
    built: true,
    tasks: ['Endpoints', 'Delivery attempts', 'Replay a delivery'],
  },
  {
    id: 'containers',
    title: 'Containers and updates',
    doc: 'docs/updater.md',
    built: true,
    tasks: ['Live status over the WebSocket', 'Update history', 'Rollback'],
  },
  {
    id: 'orders',
    title: 'Orders and payments',
    doc: 'docs/commerce.md',
    built: true,
    tasks: ['Create orders and move them along', 'Confirm, refund and cancel payments'],
  },
];

export const servicePage = (id: string) => SERVICE_PAGES.find((s) => s.id === id);

/** The page that shows an instance, or null for a type without one. */
export function instanceRoute(instance: { id: string; serviceType: string }): Route | null {
  const type = typeKey(instance.serviceType);
  if (type === 's3storage') {
    return { page: 'storage', instanceId: instance.id };
  }
  const page = SERVICE_PAGES.find((s) => s.built && s.instanceType === type);
  return page ? { page: 'service', service: page.id, instanceId: instance.id } : null;
}
