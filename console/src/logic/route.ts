/** The console's pages and their addresses under /console (history API, no hash). */
export type Route =
  | { page: 'home' }
  | { page: 'users' }
  | { page: 'audit' }
  | { page: 'tenants' }
  | { page: 'storage'; instanceId?: string }
  | { page: 'service'; service: string; instanceId?: string }
  | { page: 'not-found' };

export const BASE = '/console';

/** A service's page (logic/planned), optionally with the instance it shows. */
const SERVICE_PAGE = /^\/services\/([a-z0-9-]+)(?:\/([0-9a-fA-F-]{36}))?$/;
const STORAGE_PAGE = /^\/storage(?:\/([0-9a-fA-F-]{36}))?$/;

export function parseRoute(pathname: string): Route {
  if (pathname !== BASE && !pathname.startsWith(`${BASE}/`)) {
    return { page: 'not-found' };
  }
  const rest = pathname.slice(BASE.length).replace(/\/+$/, '');
  if (rest === '') {
    return { page: 'home' };
  }
  if (rest === '/users' || rest === '/audit' || rest === '/tenants') {
    return { page: rest.slice(1) as 'users' | 'audit' | 'tenants' };
  }
  const storage = STORAGE_PAGE.exec(rest);
  if (storage) {
    return storage[1] ? { page: 'storage', instanceId: storage[1] } : { page: 'storage' };
  }
  const service = SERVICE_PAGE.exec(rest);
  if (service) {
    return service[2]
      ? { page: 'service', service: service[1], instanceId: service[2] }
      : { page: 'service', service: service[1] };
  }
  return { page: 'not-found' };
}

export function routePath(route: Route): string {
  switch (route.page) {
    case 'home':
    case 'not-found':
      return `${BASE}/`;
    case 'users':
    case 'audit':
    case 'tenants':
      return `${BASE}/${route.page}`;
    case 'storage':
      return route.instanceId ? `${BASE}/storage/${route.instanceId}` : `${BASE}/storage`;
    case 'service':
      return route.instanceId
        ? `${BASE}/services/${route.service}/${route.instanceId}`
        : `${BASE}/services/${route.service}`;
  }
}
