import { MantineProvider } from '@mantine/core';
import { cleanup, render } from '@testing-library/react';
import type { ReactNode } from 'react';
import { afterEach, beforeAll, vi } from 'vitest';
import { ApiClient, type Fetch } from '../api/client';
import type { Instance } from '../api/identity';
import { ConsoleContext, type Console } from '../console';

/** What jsdom lacks and Mantine uses: matchMedia (colour scheme), ResizeObserver (selects). */
export function setUpDom() {
  beforeAll(() => {
    window.matchMedia = (query: string) =>
      ({ matches: false, media: query, addEventListener() {}, removeEventListener() {} }) as unknown as MediaQueryList;
    window.ResizeObserver = class {
      observe() {}
      unobserve() {}
      disconnect() {}
    } as unknown as typeof ResizeObserver;
    Element.prototype.scrollIntoView = () => {};
  });
  afterEach(cleanup);
}

export interface Call {
  method: string;
  path: string;
  query: URLSearchParams;
  body: unknown;
  headers: Record<string, string>;
}

/** A handler's answer: a Response as it is, undefined as 204, anything else as 200 JSON. */
export type Handler = (call: Call) => unknown;

export const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

/**
 * The gateway as a page sees it: `routes` maps "METHOD /path" (no query) to a handler; anything
 * else is a 404 in the DockSaaS envelope, so a page calling a wrong path shows it. Every call is
 * recorded for the test to check what was sent.
 */
export function fakeGateway(routes: Record<string, Handler>) {
  const calls: Call[] = [];
  const fetchFn: Fetch = async (input, init) => {
    const url = new URL(String(input), 'http://gateway.test');
    const text = typeof init?.body === 'string' ? init.body : undefined;
    const call: Call = {
      method: init?.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      body: text ? JSON.parse(text) : undefined,
      headers: (init?.headers ?? {}) as Record<string, string>,
    };
    calls.push(call);
    const handler = routes[`${call.method} ${call.path}`];
    if (!handler) {
      return json({ error: { code: 'NotFound', message: `unexpected ${call.method} ${call.path}` } }, 404);
    }
    const answer = await handler(call);
    if (answer instanceof Response) {
      return answer;
    }
    return answer === undefined ? new Response(null, { status: 204 }) : json(answer);
  };
  const api = new ApiClient(fetchFn);
  api.signIn('token', 'acme');
  return { api, calls, sent: (method: string, path: string) => calls.filter((c) => c.method === method && c.path === path) };
}

/** Renders a page of a signed-in console; `context` changes what the console knows (a tenant switch...). */
export function renderPage(ui: ReactNode, api: ApiClient, navigate = vi.fn(), switchTenant = vi.fn(), context: Partial<Console> = {}) {
  render(
    // env "test": no transitions, whose timers would outlive the test's DOM.
    <MantineProvider env="test">
      <ConsoleContext.Provider
        value={{ api, user: { email: 'alice@acme.test' }, tenantDomain: 'acme', homeDomain: 'acme', platformAdmin: false, switchTenant, navigate, ...context }}
      >
        {ui}
      </ConsoleContext.Provider>
    </MantineProvider>,
  );
  return navigate;
}

export const instance = (serviceType: string, name = 'main'): Instance => ({
  id: '11111111-2222-3333-4444-555555555555',
  serviceName: name,
  serviceType,
  tenantId: 'acme',
  status: 'running',
  createdAt: '2026-12-06T10:00:00Z',
});

/** The base path of the fixture instance's seed API. */
export const BASE = (type: string) => `/api/${type}/acme/11111111-2222-3333-4444-555555555555`;
