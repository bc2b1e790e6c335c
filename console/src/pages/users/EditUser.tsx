import { Button, Group, List, Modal, Select, SimpleGrid, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { useEffect, useState, type FormEvent } from 'react';
import { changeUser, ROLES, userPermissions, type TenantUser } from '../../api/tenant';
import { Problem } from '../../components/Problem';
import { useActions } from '../../components/useLoad';
import { useConsole } from '../../console';
import { formOfUser, planUserChange, type PlannedChange, type UserForm } from '../../logic/users';

/**
 * An administrator edits a user's names, e-mail, role and permissions (seed 003's PUT). A change
 * that ends the user's tokens (a new role, a permission taken away) is confirmed first.
 */
export function EditUser({ user, onClose, onSaved }: { user: TenantUser; onClose: () => void; onSaved: () => void }) {
  const { api } = useConsole();
  const [before, setBefore] = useState<string[] | null>(null);
  const [form, setForm] = useState<UserForm>(() => formOfUser(user, null));
  const [confirming, setConfirming] = useState<PlannedChange | null>(null);
  const actions = useActions();
  const load = useActions();

  useEffect(() => {
    void load.act(async () => {
      const permissions = await userPermissions(api, user.id);
      setBefore(permissions);
      setForm((f) => ({ ...f, permissions: permissions === null ? null : permissions.join('\n') }));
    }, { reload: false });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api, user.id]);

  const set = (key: keyof UserForm) => (e: { currentTarget: { value: string } }) => {
    const value = e.currentTarget.value;
    setForm((f) => ({ ...f, [key]: value }));
  };
  const save = async (plan: PlannedChange) => {
    if (Object.keys(plan.change).length === 0 || (await actions.act(() => changeUser(api, user.id, plan.change), { reload: false }))) {
      onSaved();
      onClose();
    } else {
      setConfirming(null);
    }
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const plan = planUserChange(user, before, form);
    if (plan.endsTokens) {
      setConfirming(plan);
    } else {
      void save(plan);
    }
  };

  return (
    <Modal opened onClose={onClose} title={`Edit ${user.username}`} size="lg" centered>
      {confirming ? (
        <Stack>
          <Text>
            {user.username}'s tokens stop working at once; they sign in again to get {confirming.change.role ? `the ${confirming.change.role} role` : 'the new permissions'}.
          </Text>
          {confirming.removed.length > 0 && (
            <>
              <Text size="sm">Permissions taken away:</Text>
              <List size="sm" data-testid="removed-permissions">
                {confirming.removed.map((p) => (
                  <List.Item key={p}>{p}</List.Item>
                ))}
              </List>
            </>
          )}
          {confirming.change.role && !confirming.change.permissions && (
            <Text size="sm" c="dimmed">
              The permissions become the {confirming.change.role} role's defaults.
            </Text>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setConfirming(null)}>
              Back
            </Button>
            <Button color="red" loading={actions.busy} onClick={() => void save(confirming)}>
              Save and end their tokens
            </Button>
          </Group>
        </Stack>
      ) : (
        <form onSubmit={submit} aria-label={`Edit ${user.username}`}>
          <Stack>
            <Problem error={actions.error ?? load.error} onClose={() => (actions.setError(null), load.setError(null))} />
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <TextInput label="First name" value={form.firstName} onChange={set('firstName')} />
              <TextInput label="Last name" value={form.lastName} onChange={set('lastName')} />
              <TextInput label="E-mail" type="email" required value={form.email} onChange={set('email')} />
              <Select label="Role" data={ROLES} value={form.role} onChange={(r) => r && setForm((f) => ({ ...f, role: r }))} allowDeselect={false} />
            </SimpleGrid>
            <Textarea
              label="Permissions"
              description={
                form.permissions === null
                  ? load.busy
                    ? 'Loading…'
                    : 'Not known (listing them needs a tenant administrator): left as they are.'
                  : 'resource:action, one a line (container:read, image:write...), * for everything'
              }
              minRows={3}
              disabled={form.permissions === null}
              value={form.permissions ?? ''}
              onChange={set('permissions')}
            />
            <Group justify="flex-end">
              <Button variant="default" onClick={onClose}>
                Cancel
              </Button>
              <Button type="submit" loading={actions.busy}>
                Save
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}
