import { Button, Checkbox, Group, Modal, Select, SimpleGrid, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { useEffect, useState, type FormEvent } from 'react';
import { changeContainer, createContainer, getContainer } from '../../api/updater';
import { Problem } from '../../components/Problem';
import { useActions } from '../../components/useLoad';
import { useConsole } from '../../console';
import {
  changeBody,
  EMPTY_FORM,
  formOf,
  newContainerBody,
  RESTART_POLICIES,
  STRATEGIES,
  UPDATE_POLICIES,
  type ContainerForm as Form,
} from '../../logic/containers';

/** Create a container (no `editing`), or change one's settings (`editing`: its id). */
export function ContainerForm({ editing, onClose, onSaved }: { editing: number | null; onClose: () => void; onSaved: () => void }) {
  const { api } = useConsole();
  const [form, setForm] = useState<Form>(EMPTY_FORM);
  const actions = useActions();
  const creating = editing === null;
  useEffect(() => {
    if (editing !== null) {
      void actions.act(async () => setForm(formOf(await getContainer(api, editing))), { reload: false });
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api, editing]);
  const set = <K extends keyof Form>(key: K) => (value: Form[K]) => setForm((f) => ({ ...f, [key]: value }));
  const text = (key: keyof Form) => (e: { currentTarget: { value: string } }) => set(key)(e.currentTarget.value as never);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const saved = await actions.act(
      () => (creating ? createContainer(api, newContainerBody(form)) : changeContainer(api, editing, changeBody(form))),
      { reload: false },
    );
    if (saved) {
      onSaved();
      onClose();
    }
  };

  return (
    <Modal opened onClose={onClose} title={creating ? 'New container' : `Settings of ${form.name || 'the container'}`} size="lg" centered>
      <form onSubmit={submit} aria-label={creating ? 'Create a container' : 'Change the container'}>
        <Stack>
          <Problem error={actions.error} onClose={() => actions.setError(null)} />
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput label="Name" required disabled={!creating} value={form.name} onChange={text('name')} />
            <TextInput label="Image" required disabled={!creating} placeholder="127.0.0.1:5000/demo/web:latest" value={form.image} onChange={text('image')} />
            <TextInput label="Host port" disabled={!creating} inputMode="numeric" value={form.hostPort} onChange={text('hostPort')} />
            <TextInput label="Container port" disabled={!creating} inputMode="numeric" value={form.containerPort} onChange={text('containerPort')} />
            <TextInput label="Memory limit" placeholder="512MB" value={form.memoryLimit} onChange={text('memoryLimit')} />
            <TextInput label="CPU limit" placeholder="1.0" value={form.cpuLimit} onChange={text('cpuLimit')} />
            <Select label="Restart policy" data={RESTART_POLICIES} value={form.restartPolicy} onChange={(v) => v && set('restartPolicy')(v)} allowDeselect={false} />
            <Select label="Update policy" data={UPDATE_POLICIES} value={form.policy} onChange={(v) => v && set('policy')(v)} allowDeselect={false} />
            <Select label="Update strategy" data={STRATEGIES} value={form.strategy} onChange={(v) => v && set('strategy')(v)} allowDeselect={false} />
            <TextInput label="Check schedule" description="cron, UTC; empty: none" placeholder="0 2 * * *" value={form.schedule} onChange={text('schedule')} />
          </SimpleGrid>
          <Textarea label="Environment" description="KEY=VALUE, one a line" minRows={3} value={form.environment} onChange={text('environment')} />
          {creating && (
            <TextInput
              label="Health check command"
              description="Run inside the container, words separated by spaces; empty: none"
              value={form.healthCommand}
              onChange={text('healthCommand')}
            />
          )}
          <Group>
            <Checkbox label="Roll back a failed update" checked={form.rollbackOnFailure} onChange={(e) => set('rollbackOnFailure')(e.currentTarget.checked)} />
            {creating && <Checkbox label="Start it now" checked={form.startImmediately} onChange={(e) => set('startImmediately')(e.currentTarget.checked)} />}
          </Group>
          {!creating && (
            <Text size="sm" c="dimmed">
              New settings apply when the container is next recreated (its next update).
            </Text>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={actions.busy}>
              {creating ? 'Create container' : 'Save settings'}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
