import type { Instance } from './identity';

/** `/api/{type}/{tenantId}/{serviceId}`: where an instance's seed-000 API lives. */
export function serviceBase(type: string, instance: Pick<Instance, 'tenantId' | 'id'>): string {
  return `/api/${type}/${encodeURIComponent(instance.tenantId)}/${encodeURIComponent(instance.id)}`;
}

/** A path segment: a queue, table or topic name the user typed, escaped. */
export const seg = encodeURIComponent;
