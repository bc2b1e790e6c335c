import { Button, Group, Modal, Stack, Textarea, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { formatHeaders, getWebhook, parseEvents, parseHeaders, updateWebhook, type Webhook } from '../../api/webhooks';
import { Problem } from '../../components/Problem';
import { useLoad } from '../../components/useLoad';
import { useConsole } from '../../console';

/**
 * Edits an endpoint's events and its own request headers (read fresh from the API: the list may not
 * carry the headers). Saving replaces the whole header set, as the API does.
 */
export function WebhookEdit({ hook, onClose, onSaved }: { hook: Webhook; onClose: () => void; onSaved: () => void }) {
  const { api } = useConsole();
  const [events, setEvents] = useState(hook.events.join(' '));
  const [headers, setHeaders] = useState(formatHeaders(hook.headers));
  const current = useLoad(async () => {
    const fresh = await getWebhook(api, hook.id);
    setEvents(fresh.events.join(' '));
    setHeaders(formatHeaders(fresh.headers));
    return fresh;
  }, [api, hook.id]);

  const save = async (event: FormEvent) => {
    event.preventDefault();
    const ok = await current.act(() => updateWebhook(api, hook.id, { events: parseEvents(events), headers: parseHeaders(headers) }), {
      reload: false,
    });
    if (ok) {
      onSaved();
      onClose();
    }
  };

  return (
    <Modal opened onClose={onClose} title={`Edit ${hook.url}`} size="lg" centered>
      <form onSubmit={save} aria-label={`Edit endpoint ${hook.url}`}>
        <Stack>
          <TextInput
            label="Events"
            description="e.g. object.* service.created; empty for all"
            value={events}
            onChange={(e) => setEvents(e.currentTarget.value)}
          />
          <Textarea
            label="Headers"
            description="Sent with every delivery, one “Name: value” a line"
            minRows={3}
            value={headers}
            onChange={(e) => setHeaders(e.currentTarget.value)}
          />
          <Problem error={current.error} onClose={() => current.setError(null)} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={current.busy}>
              Save endpoint
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
