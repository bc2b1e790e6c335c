import { Button, Group, PasswordInput, Text, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { deleteRegistryLogin, listRegistryLogins, saveRegistryLogin } from '../../api/updater';
import { ConfirmButton } from '../../components/ConfirmButton';
import { DataTable } from '../../components/DataTable';
import { Section } from '../../components/Section';
import { useLoad } from '../../components/useLoad';
import { useConsole } from '../../console';

/**
 * The tenant's private-registry logins (updater-service uses them for its registry checks and
 * pulls). The password is sent once and never shown back: the list has registry and username only.
 */
export function RegistryLogins() {
  const { api } = useConsole();
  const logins = useLoad(() => listRegistryLogins(api), [api]);
  const [registry, setRegistry] = useState('');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const save = async (event: FormEvent) => {
    event.preventDefault();
    if (await logins.act(() => saveRegistryLogin(api, registry.trim(), username.trim(), password))) {
      setRegistry('');
      setUsername('');
      setPassword('');
    }
  };
  return (
    <Section title="Registry logins" error={logins.error} onDismiss={() => logins.setError(null)}>
      <Text size="sm" c="dimmed">
        One login per registry, used for this tenant's update checks and pulls. Saving a registry that has one replaces it. Needs the <code>image:write</code> permission.
      </Text>
      <form onSubmit={save} aria-label="Add a registry login">
        <Group align="flex-end" wrap="wrap">
          <TextInput label="Registry" required placeholder="ghcr.io or 127.0.0.1:5000" value={registry} onChange={(e) => setRegistry(e.currentTarget.value)} style={{ flex: '1 1 200px' }} />
          <TextInput label="Registry username" required value={username} onChange={(e) => setUsername(e.currentTarget.value)} style={{ flex: '1 1 160px' }} />
          <PasswordInput label="Registry password" required autoComplete="new-password" value={password} onChange={(e) => setPassword(e.currentTarget.value)} style={{ flex: '1 1 160px' }} />
          <Button type="submit" loading={logins.busy}>
            Save login
          </Button>
        </Group>
      </form>
      <DataTable
        label="Registry logins"
        rows={logins.data}
        rowKey={(l) => l.registry}
        rowTestId={(l) => `registry-${l.registry}`}
        empty="No registry logins: images are pulled anonymously."
        columns={[
          { header: 'Registry', cell: (l) => l.registry },
          { header: 'Username', cell: (l) => l.username },
          { header: 'Saved', cell: (l) => (l.updated_at ?? l.created_at ? new Date((l.updated_at ?? l.created_at)!).toLocaleString() : '—') },
          {
            header: 'Actions',
            hideHeader: true,
            align: 'right',
            cell: (l) => (
              <ConfirmButton
                ariaLabel={`Delete the login for ${l.registry}`}
                title={`Delete the login for ${l.registry}?`}
                message="Update checks and pulls from this registry go without credentials; a private image there can no longer be pulled."
                confirmLabel="Delete login"
                onConfirm={() => logins.act(() => deleteRegistryLogin(api, l.registry))}
              >
                Delete
              </ConfirmButton>
            ),
          },
        ]}
      />
    </Section>
  );
}
