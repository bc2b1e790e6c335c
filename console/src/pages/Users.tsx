import { Badge, Button, Group, Modal, PasswordInput, Select, Stack, Switch, Text, TextInput, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import {
  createOrganization,
  createUser,
  deleteOrganization,
  deleteUser,
  listOrganizations,
  listUsers,
  ROLES,
  updateUser,
  type TenantUser,
} from '../api/tenant';
import { ConfirmButton } from '../components/ConfirmButton';
import { DataTable } from '../components/DataTable';
import { Section } from '../components/Section';
import { useLoad } from '../components/useLoad';
import { useConsole } from '../console';
import { EditUser } from './users/EditUser';

/** The tenant's users and organizations (auth-service; changes need a tenant admin). */
export function Users() {
  return (
    <Stack gap="lg">
      <Title order={2}>Users and organizations</Title>
      <UserList />
      <Organizations />
    </Stack>
  );
}

function UserList() {
  const { api } = useConsole();
  const users = useLoad(() => listUsers(api), [api]);
  const [username, setUsername] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [role, setRole] = useState('user');
  const [editing, setEditing] = useState<TenantUser | null>(null);
  const [deactivating, setDeactivating] = useState<TenantUser | null>(null);

  const create = async (event: FormEvent) => {
    event.preventDefault();
    if (await users.act(() => createUser(api, { username: username.trim(), email: email.trim(), password, role }))) {
      setUsername('');
      setEmail('');
      setPassword('');
    }
  };
  return (
    <Section title="Users" error={users.error} onDismiss={() => users.setError(null)}>
      <form onSubmit={create} aria-label="Add a user">
        <Group align="flex-end" wrap="wrap">
          <TextInput label="Username" required value={username} onChange={(e) => setUsername(e.currentTarget.value)} style={{ flex: '1 1 160px' }} />
          <TextInput label="E-mail" type="email" required value={email} onChange={(e) => setEmail(e.currentTarget.value)} style={{ flex: '1 1 200px' }} />
          <PasswordInput label="Password" required value={password} onChange={(e) => setPassword(e.currentTarget.value)} style={{ flex: '1 1 160px' }} />
          <Select label="Role" data={ROLES} value={role} onChange={(r) => r && setRole(r)} allowDeselect={false} w={130} />
          <Button type="submit" loading={users.busy}>
            Add user
          </Button>
        </Group>
      </form>
      <DataTable
        label="Users"
        rows={users.data}
        rowKey={(u) => String(u.id)}
        rowTestId={(u) => `user-${u.username}`}
        empty="No users."
        minWidth={720}
        columns={[
          { header: 'Username', cell: (u) => u.username },
          { header: 'Name', cell: (u) => [u.first_name, u.last_name].filter(Boolean).join(' ') || '—' },
          { header: 'E-mail', cell: (u) => u.email },
          {
            header: 'Role',
            cell: (u) => (
              <Badge variant="light" color="gray">
                {u.role}
              </Badge>
            ),
          },
          {
            header: 'Active',
            cell: (u) => (
              <Switch
                aria-label={`${u.username} may sign in`}
                checked={u.is_active}
                // Deactivating ends their sessions: asked first. Reactivating is not.
                onChange={(e) => (e.currentTarget.checked ? void users.act(() => updateUser(api, u.id, { is_active: true })) : setDeactivating(u))}
              />
            ),
          },
          { header: 'Last sign-in', cell: (u) => (u.last_login ? new Date(u.last_login).toLocaleString() : 'never') },
          {
            header: 'Actions',
            hideHeader: true,
            align: 'right',
            cell: (u) => (
              <Group gap="xs" justify="flex-end" wrap="nowrap">
              <Button size="xs" variant="default" aria-label={`Edit ${u.username}`} onClick={() => setEditing(u)}>
                Edit
              </Button>
              <ConfirmButton
                ariaLabel={`Delete user ${u.username}`}
                title={`Delete ${u.username}?`}
                message="The user can no longer sign in, and their tokens stop working at once. This cannot be undone."
                confirmLabel="Delete user"
                onConfirm={() => users.act(() => deleteUser(api, u.id))}
              >
                Delete
              </ConfirmButton>
              </Group>
            ),
          },
        ]}
      />
      {editing && <EditUser key={editing.id} user={editing} onClose={() => setEditing(null)} onSaved={() => void users.reload()} />}
      <Modal opened={deactivating !== null} onClose={() => setDeactivating(null)} title={`Deactivate ${deactivating?.username}?`} centered>
        <Text mb="lg">They can no longer sign in, and every session of theirs ends at once. They can be reactivated later.</Text>
        <Group justify="flex-end">
          <Button variant="default" onClick={() => setDeactivating(null)}>
            Cancel
          </Button>
          <Button
            color="red"
            loading={users.busy}
            onClick={() => {
              const user = deactivating!;
              setDeactivating(null);
              void users.act(() => updateUser(api, user.id, { is_active: false }));
            }}
          >
            Deactivate
          </Button>
        </Group>
      </Modal>
    </Section>
  );
}

function Organizations() {
  const { api } = useConsole();
  const orgs = useLoad(() => listOrganizations(api), [api]);
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const create = async (event: FormEvent) => {
    event.preventDefault();
    if (await orgs.act(() => createOrganization(api, name.trim(), description.trim()))) {
      setName('');
      setDescription('');
    }
  };
  return (
    <Section title="Organizations" error={orgs.error} onDismiss={() => orgs.setError(null)}>
      <form onSubmit={create} aria-label="Add an organization">
        <Group align="flex-end" wrap="wrap">
          <TextInput label="Organization name" required value={name} onChange={(e) => setName(e.currentTarget.value)} style={{ flex: '1 1 200px' }} />
          <TextInput label="Description" value={description} onChange={(e) => setDescription(e.currentTarget.value)} style={{ flex: '2 1 260px' }} />
          <Button type="submit" loading={orgs.busy}>
            Add organization
          </Button>
        </Group>
      </form>
      <DataTable
        label="Organizations"
        rows={orgs.data}
        rowKey={(o) => o.id}
        rowTestId={(o) => `organization-${o.name}`}
        empty="No organizations yet."
        columns={[
          { header: 'Name', cell: (o) => o.name },
          { header: 'Description', cell: (o) => o.description ?? '' },
          { header: 'Created by', cell: (o) => o.created_by?.username ?? '—' },
          { header: 'Created', cell: (o) => new Date(o.created_at).toLocaleString() },
          {
            header: 'Actions',
            hideHeader: true,
            align: 'right',
            cell: (o) => (
              <ConfirmButton
                ariaLabel={`Delete organization ${o.name}`}
                title={`Delete ${o.name}?`}
                message="The organization is deleted. This cannot be undone."
                confirmLabel="Delete organization"
                onConfirm={() => orgs.act(() => deleteOrganization(api, o.id))}
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
