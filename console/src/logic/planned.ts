/**
 * The built services whose console pages come later: what each page will let a user do
 * (issue 32), and where the API is documented meanwhile.
 */
export interface PlannedService {
  id: string;
  title: string;
  doc: string;
  tasks: string[];
}

export const PLANNED_SERVICES: PlannedService[] = [
  {
    id: 'queues',
    title: 'Queues',
    doc: 'docs/queue.md',
    tasks: ['Create and delete queues', 'Send, peek and purge messages', 'Redrive a dead-letter queue'],
  },
  {
    id: 'nosql',
    title: 'NoSQL tables',
    doc: 'docs/nosql.md',
    tasks: ['Create tables with keys and indexes', 'Put, get and delete items', 'Query and scan'],
  },
  {
    id: 'rds',
    title: 'Relational databases',
    doc: 'docs/rds.md',
    tasks: ['Connection details', 'Run SQL', 'Backups and restore'],
  },
  {
    id: 'kafka',
    title: 'Kafka',
    doc: 'docs/kafka.md',
    tasks: ['Topics', 'Produce records', 'Tail a topic live', 'Consumer lag', 'Tenant Kafka credentials'],
  },
  {
    id: 'functions',
    title: 'Functions',
    doc: 'docs/function.md',
    tasks: ['Deploy a function', 'Invoke it with a payload', 'Logs and metrics'],
  },
  {
    id: 'webhooks',
    title: 'Webhooks and integrations',
    doc: 'docs/integration.md',
    tasks: ['Endpoints', 'Delivery attempts', 'Replay a delivery'],
  },
  {
    id: 'containers',
    title: 'Containers and updates',
    doc: 'docs/updater.md',
    tasks: ['Live status over the WebSocket', 'Update history', 'Rollback'],
  },
  {
    id: 'orders',
    title: 'Orders and payments',
    doc: 'docs/commerce.md',
    tasks: ['Orders', 'Payments and their status'],
  },
];

export const plannedService = (id: string) => PLANNED_SERVICES.find((s) => s.id === id);
