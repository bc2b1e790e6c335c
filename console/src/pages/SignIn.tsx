import { Alert, Button, Center, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import type { ApiClient } from '../api/client';
import { describe } from '../api/errors';
import { login, type LoginResult } from '../api/identity';

interface Props {
  api: ApiClient;
  expired: boolean;
  onSignedIn: (result: LoginResult) => void;
}

/** E-mail, password and tenant domain (seed 002's login with X-Tenant-Domain). */
export function SignIn({ api, expired, onSignedIn }: Props) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [tenantDomain, setTenantDomain] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onSignedIn(await login(api, email, password, tenantDomain));
    } catch (failure) {
      setError(describe(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Center mih="100vh" p="md">
      <Paper component="main" withBorder shadow="sm" p="xl" w="100%" maw={420}>
        <form onSubmit={submit} aria-labelledby="sign-in-title">
          <Stack>
            <Title order={1} size="h2" id="sign-in-title">
              Sign in to Cumulus
            </Title>
            {expired && !error && (
              <Alert color="yellow" role="status">
                Your session has ended. Please sign in again.
              </Alert>
            )}
            {error && (
              <Alert color="red" role="alert" title="Sign-in failed">
                {error}
              </Alert>
            )}
            <TextInput
              label="E-mail"
              type="email"
              autoComplete="username"
              required
              value={email}
              onChange={(e) => setEmail(e.currentTarget.value)}
            />
            <PasswordInput
              label="Password"
              autoComplete="current-password"
              required
              value={password}
              onChange={(e) => setPassword(e.currentTarget.value)}
            />
            <TextInput
              label="Tenant domain"
              description="Your organisation's domain, e.g. acme; platform administrators use default."
              autoComplete="organization"
              value={tenantDomain}
              onChange={(e) => setTenantDomain(e.currentTarget.value)}
            />
            <Button type="submit" loading={busy}>
              Sign in
            </Button>
            <Text size="xs" c="dimmed">
              You stay signed in when the page reloads, until you sign out: the session is kept in a cookie that
              only the sign-in service reads, never in the page's storage.
            </Text>
          </Stack>
        </form>
      </Paper>
    </Center>
  );
}
