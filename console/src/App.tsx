import {
  ActionIcon,
  AppShell,
  Burger,
  Center,
  Group,
  Loader,
  NavLink,
  ScrollArea,
  Text,
  Title,
  Tooltip,
  Button,
  useComputedColorScheme,
  useMantineColorScheme,
} from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { lazy, Suspense, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { ApiClient } from './api/client';
import { actAs, logout, refreshToken, restoreSession, type LoginResult } from './api/identity';
import { ActingBanner } from './components/ActingBanner';
import { ConsoleContext, useConsole, type Console } from './console';
import { SERVICE_PAGES } from './logic/planned';
import { storageGrowth } from './logic/growth';
import { SessionKeeper } from './logic/session';
import { ActingToken } from './logic/acting';
import { parseRoute, routePath, type Route } from './logic/route';
import { Home } from './pages/Home';
import { NotFound } from './pages/Planned';
import { ServicePageView } from './pages/Services';
import { SignIn } from './pages/SignIn';
import { Storage } from './pages/Storage';

// Pages a tenant admin opens now and then: chunks of their own, fetched when first opened.
const Users = lazy(() => import('./pages/Users').then((m) => ({ default: m.Users })));
const Audit = lazy(() => import('./pages/Audit').then((m) => ({ default: m.Audit })));
const Tenants = lazy(() => import('./pages/Tenants').then((m) => ({ default: m.Tenants })));

export function App() {
  const [session, setSession] = useState<LoginResult | null>(null);
  const [restoring, setRestoring] = useState(true);
  const [expired, setExpired] = useState(false);
  const [acting, setActing] = useState<string | null>(null);
  // The act-as token of the tenant a platform admin acts on: in memory only, dropped going back.
  const actingToken = useRef<ActingToken | null>(null);
  const dropActingToken = () => {
    actingToken.current?.stop();
    actingToken.current = null;
  };
  const api = useMemo(
    () =>
      new ApiClient(undefined, () => {
        keeper.cancel();
        dropActingToken();
        api.signOut();
        setSession(null);
        setExpired(true);
      }),
    [],
  );
  // The refresh-token cookie keeps the session across reloads (docs/console.md).
  const keeper = useMemo(() => new SessionKeeper(() => refreshToken(api)), [api]);
  const [route, setRoute] = useState<Route>(() => parseRoute(window.location.pathname));

  useEffect(() => {
    const onPop = () => setRoute(parseRoute(window.location.pathname));
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);

  const navigate = useCallback((next: Route) => {
    window.history.pushState(null, '', routePath(next));
    setRoute(next);
  }, []);

  const signedIn = useCallback(
    (result: LoginResult) => {
      api.signIn(result.accessToken, result.tenantDomain);
      setActing(result.tenantDomain);
      setExpired(false);
      setSession(result);
      keeper.schedule(
        result.expiresIn,
        (tokens) => api.replaceToken(tokens.accessToken),
        () => {
          dropActingToken();
          api.signOut();
          setSession(null);
          setExpired(true);
        },
      );
    },
    [api, keeper],
  );

  // A reload: the cookie's session, if there is one; otherwise the sign-in form.
  useEffect(() => {
    let current = true;
    restoreSession(api, () => keeper.refresh())
      .then((result) => current && signedIn(result))
      .catch(() => current && api.signOut())
      .finally(() => current && setRestoring(false));
    return () => {
      current = false;
    };
  }, [api, keeper, signedIn]);
  useEffect(() => () => keeper.cancel(), [keeper]);

  const signOut = async () => {
    keeper.cancel();
    dropActingToken();
    try {
      await logout(api);
    } finally {
      // Signed out here whatever the server said: the token is forgotten either way.
      api.signOut();
      storageGrowth.clear();
      setSession(null);
    }
  };

  if (restoring) {
    return (
      <Center mih="100vh">
        <Loader aria-label="Restoring your session" />
      </Center>
    );
  }
  if (!session) {
    return <SignIn api={api} expired={expired} onSignedIn={signedIn} />;
  }
  const context: Console = {
    api,
    user: session.user,
    tenantDomain: acting,
    homeDomain: session.tenantDomain,
    platformAdmin: session.platformAdmin,
    switchTenant: async (domain, tenantId) => {
      const home = session.tenantDomain;
      if (domain === home) {
        dropActingToken();
        api.switchTenant(domain);
        setActing(domain);
        return;
      }
      if (!tenantId) {
        // Without its token, services that read the tenant from the token would show the admin's own.
        throw new Error(`Acting on ${domain} needs its tenant id`);
      }
      // The other tenant's token before any page asks for its data; a refusal leaves things as they were.
      const token = new ActingToken(
        () => actAs(api, tenantId),
        () => {
          // Renewal refused (the admin lost the role, the tenant went): back home.
          if (actingToken.current === token) {
            dropActingToken();
            api.switchTenant(home ?? '');
            setActing(home);
          }
        },
      );
      await token.start();
      dropActingToken();
      actingToken.current = token;
      api.switchTenant(domain, token);
      setActing(domain);
    },
    navigate,
  };
  return (
    <ConsoleContext.Provider value={context}>
      <Shell route={route} onSignOut={signOut} />
    </ConsoleContext.Provider>
  );
}

function Shell({ route, onSignOut }: { route: Route; onSignOut: () => void }) {
  const [opened, { toggle, close }] = useDisclosure();
  const ctx = useConsole();
  const go = (next: Route) => {
    ctx.navigate(next);
    close();
  };
  const link = (label: string, target: Route, active: boolean) => (
    <NavLink
      key={label}
      label={label}
      href={routePath(target)}
      active={active}
      aria-current={active ? 'page' : undefined}
      onClick={(event) => {
        event.preventDefault();
        go(target);
      }}
    />
  );
  return (
    <AppShell
      header={{ height: 56 }}
      navbar={{ width: 240, breakpoint: 'sm', collapsed: { mobile: !opened } }}
      padding="md"
    >
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label="Menu" />
            <Title order={1} size="h4">
              Cumulus
            </Title>
          </Group>
          <Group gap="sm" wrap="nowrap">
            <Text size="sm" c="dimmed" visibleFrom="xs" data-testid="signed-in-as">
              {String(ctx.user.email ?? ctx.user.username ?? '')}
              {ctx.tenantDomain ? ` · ${ctx.tenantDomain}` : ''}
            </Text>
            <ColorSchemeToggle />
            <Button variant="default" size="xs" onClick={onSignOut}>
              Sign out
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" component="nav" aria-label="Console">
        <ScrollArea>
          {link('Home', { page: 'home' }, route.page === 'home')}
          {link('Users and organizations', { page: 'users' }, route.page === 'users')}
          {link('Audit log', { page: 'audit' }, route.page === 'audit')}
          {ctx.platformAdmin && link('Tenants', { page: 'tenants' }, route.page === 'tenants')}
          {link('Storage', { page: 'storage' }, route.page === 'storage')}
          {SERVICE_PAGES.map((service) =>
            link(
              service.title,
              { page: 'service', service: service.id },
              route.page === 'service' && route.service === service.id,
            ),
          )}
        </ScrollArea>
      </AppShell.Navbar>
      <AppShell.Main>
        <ActingBanner />
        {/* Keyed by the tenant: a switch loads every panel again. */}
        <Page key={ctx.tenantDomain ?? ''} route={route} />
      </AppShell.Main>
    </AppShell>
  );
}

function Page({ route }: { route: Route }) {
  switch (route.page) {
    case 'home':
      return <Home />;
    case 'users':
    case 'audit':
    case 'tenants':
      return (
        <Suspense fallback={<Loader aria-label="Loading the page" />}>
          {route.page === 'users' ? <Users /> : route.page === 'audit' ? <Audit /> : <Tenants />}
        </Suspense>
      );
    case 'storage':
      return <Storage instanceId={route.instanceId} />;
    case 'service':
      return <ServicePageView key={route.service} id={route.service} instanceId={route.instanceId} />;
    default:
      return <NotFound />;
  }
}

function ColorSchemeToggle() {
  const { setColorScheme } = useMantineColorScheme();
  const scheme = useComputedColorScheme('light');
  const next = scheme === 'dark' ? 'light' : 'dark';
  return (
    <Tooltip label={`Switch to ${next} mode`}>
      <ActionIcon
        variant="default"
        size="lg"
        aria-label={`Switch to ${next} mode`}
        onClick={() => setColorScheme(next)}
      >
        <span aria-hidden="true">{scheme === 'dark' ? '☀' : '☾'}</span>
      </ActionIcon>
    </Tooltip>
  );
}
