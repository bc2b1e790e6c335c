/** The console's pages and their addresses under /console (history API, no hash). */
export type Route =
  | { page: 'home' }
  | { page: 'storage'; instanceId?: string }
  | { page: 'service'; service: string }
  | { page: 'not-found' };

export const BASE = '/console';

/** Pages of services whose console tasks come later (PLANNED_SERVICES in pages/Planned). */
const SERVICE_PAGE = /^\/services\/([a-z0-9-]+)$/;
const STORAGE_PAGE = /^\/storage(?:\/([0-9a-fA-F-]{36}))?$/;

export function parseRoute(pathname: string): Route {
  if (pathname !== BASE && !pathname.startsWith(`${BASE}/`)) {
    return { page: 'not-found' };
  }
  const rest = pathname.slice(BASE.length).replace(/\/+$/, '');
  if (rest === '') {
    return { page: 'home' };
  }
  const storage = STORAGE_PAGE.exec(rest);
  if (storage) {
    return storage[1] ? { page: 'storage', instanceId: storage[1] } : { page: 'storage' };
  }
  const service = SERVICE_PAGE.exec(rest);
  if (service) {
    return { page: 'service', service: service[1] };
  }
  return { page: 'not-found' };
}

export function routePath(route: Route): string {
  switch (route.page) {
    case 'home':
    case 'not-found':
      return `${BASE}/`;
    case 'storage':
      return route.instanceId ? `${BASE}/storage/${route.instanceId}` : `${BASE}/storage`;
    case 'service':
      return `${BASE}/services/${route.service}`;
  }
}
