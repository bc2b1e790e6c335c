import { createContext, useContext } from 'react';
import type { ApiClient } from './api/client';
import type { User } from './api/identity';
import type { Route } from './logic/route';

/** What every page of a signed-in console needs. */
export interface Console {
  api: ApiClient;
  user: User;
  /** The tenant the console acts on: the user's own, or one a platform admin switched to. */
  tenantDomain: string | null;
  /** The user's own tenant. */
  homeDomain: string | null;
  platformAdmin: boolean;
  /**
   * Acts on another tenant (a platform admin; `tenantId` obtains its act-as token first, and the
   * promise fails as that did), or goes back to `homeDomain` (no id needed).
   */
  switchTenant: (tenantDomain: string, tenantId?: string) => Promise<void> | void;
  navigate: (route: Route) => void;
}

export const ConsoleContext = createContext<Console | null>(null);

export function useConsole(): Console {
  const console = useContext(ConsoleContext);
  if (!console) {
    throw new Error('useConsole outside a signed-in console');
  }
  return console;
}
