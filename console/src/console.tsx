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
  switchTenant: (tenantDomain: string) => void;
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
