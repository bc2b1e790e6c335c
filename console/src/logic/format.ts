import type { Instance } from '../api/identity';

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

/** 1536 → "1.5 KiB". */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(value < 10 ? 1 : 0)} ${UNITS[unit]}`;
}

/** The service types of seed 000, with the words the console uses for them. */
export const SERVICE_TYPES = [
  { value: 's3storage', label: 'Storage (S3)' },
  { value: 'queue', label: 'Queue (SQS)' },
  { value: 'nosqldatabase', label: 'NoSQL (DynamoDB)' },
  { value: 'rdsdatabase', label: 'Relational database' },
  { value: 'function', label: 'Functions (Lambda)' },
  { value: 'kafka', label: 'Kafka' },
] as const;

/** The API answers S3Storage, RDSDatabase...; the console keys on the lower-case type. */
export const typeKey = (serviceType: string) => serviceType.toLowerCase();

export function typeLabel(serviceType: string): string {
  return SERVICE_TYPES.find((t) => t.value === typeKey(serviceType))?.label ?? serviceType;
}

/** Instances grouped by type, in SERVICE_TYPES order, each group sorted by name. */
export function byType(instances: Instance[]): { type: string; label: string; items: Instance[] }[] {
  const groups = new Map<string, Instance[]>();
  for (const instance of instances) {
    const key = typeKey(instance.serviceType);
    groups.set(key, [...(groups.get(key) ?? []), instance]);
  }
  const order = (type: string) => {
    const index = SERVICE_TYPES.findIndex((t) => t.value === type);
    return index < 0 ? SERVICE_TYPES.length : index;
  };
  return [...groups.entries()]
    .sort(([a], [b]) => order(a) - order(b) || a.localeCompare(b))
    .map(([type, items]) => ({
      type,
      label: typeLabel(type),
      items: items.sort((a, b) => a.serviceName.localeCompare(b.serviceName)),
    }));
}

/** Badge colour of a status: an instance's, a container's, an update's or an order's. */
export function statusColor(status: string): string {
  switch (status.toLowerCase()) {
    case 'ready':
    case 'active':
    case 'running':
    case 'completed':
    case 'paid':
    case 'delivered':
      return 'green';
    case 'failed':
    case 'error':
    case 'rolled_back':
      return 'red';
    case 'stopped':
    case 'cancelled':
    case 'refunded':
      return 'gray';
    default:
      return 'yellow';
  }
}

export const isSettled = (status: string) => statusColor(status) !== 'yellow';
