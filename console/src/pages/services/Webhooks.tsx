import { Anchor, Badge, Button, Group, Modal, Stack, Switch, Text, TextInput, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import {
  createWebhook,
  deleteWebhook,
  listAttempts,
  listWebhooks,
  parseEvents,
  replayMessage,
  rotateSecret,
  setWebhookEnabled,
  type Webhook,
} from '../../api/webhooks';
import { ConfirmButton } from '../../components/ConfirmButton';
import { DataTable } from '../../components/DataTable';
import { Section } from '../../components/Section';
import { Secret } from '../../components/Secret';
import { useLoad } from '../../components/useLoad';
import { useConsole } from '../../console';
import { WebhookEdit } from './WebhookEdit';

/** The tenant's webhook endpoints: create (secret shown once), enable, rotate, delete, deliveries. */
export function Webhooks() {
  const { api } = useConsole();
  const hooks = useLoad(() => listWebhooks(api), [api]);
  const [open, setOpen] = useState<Webhook | null>(null);
  const [editing, setEditing] = useState<Webhook | null>(null);
  const [secret, setSecret] = useState<{ url: string; secret: string } | null>(null);
  const [url, setUrl] = useState('');
  const [events, setEvents] = useState('');
  const [description, setDescription] = useState('');

  const create = async (event: FormEvent) => {
    event.preventDefault();
    const ok = await hooks.act(async () => {
      const created = await createWebhook(api, url.trim(), parseEvents(events), description.trim());
      setSecret({ url: created.url, secret: created.secret });
    });
    if (ok) {
      setUrl('');
      setEvents('');
      setDescription('');
    }
  };
  const remove = async (hook: Webhook) => {
    if ((await hooks.act(() => deleteWebhook(api, hook.id))) && open?.id === hook.id) {
      setOpen(null);
    }
  };

  return (
    <Stack gap="lg">
      <Title order={2}>Webhooks</Title>
      <Section title="Endpoints" error={hooks.error} onDismiss={() => hooks.setError(null)}>
        <form onSubmit={create} aria-label="Add an endpoint">
          <Group align="flex-end" wrap="wrap">
            <TextInput
              label="Endpoint URL"
              type="url"
              placeholder="https://example.com/hooks"
              required
              value={url}
              onChange={(e) => setUrl(e.currentTarget.value)}
              style={{ flex: '2 1 260px' }}
            />
            <TextInput
              label="Events"
              description="e.g. object.* service.created; empty for all"
              value={events}
              onChange={(e) => setEvents(e.currentTarget.value)}
              style={{ flex: '1 1 200px' }}
            />
            <TextInput label="Description" value={description} onChange={(e) => setDescription(e.currentTarget.value)} style={{ flex: '1 1 160px' }} />
            <Button type="submit" loading={hooks.busy}>
              Add endpoint
            </Button>
          </Group>
        </form>
        <DataTable
          label="Webhook endpoints"
          rows={hooks.data}
          rowKey={(h) => h.id}
          rowTestId={(h) => `webhook-${h.url}`}
          empty="No endpoints yet."
          minWidth={640}
          columns={[
            {
              header: 'URL',
              cell: (h) => (
                <Anchor component="button" type="button" onClick={() => setOpen(h)} style={{ wordBreak: 'break-all' }}>
                  {h.url}
                </Anchor>
              ),
            },
            { header: 'Events', cell: (h) => h.events.join(', ') },
            {
              header: 'Enabled',
              cell: (h) => (
                <Stack gap={2}>
                  <Switch
                    aria-label={`Deliver to ${h.url}`}
                    checked={h.enabled}
                    onChange={(e) => void hooks.act(() => setWebhookEnabled(api, h.id, e.currentTarget.checked))}
                  />
                  {h.disabledReason && (
                    <Text size="xs" c="red">
                      {h.disabledReason}
                    </Text>
                  )}
                </Stack>
              ),
            },
            {
              header: 'Actions',
              hideHeader: true,
              align: 'right',
              cell: (h) => (
                <Group gap="xs" justify="flex-end" wrap="nowrap">
                  <Button size="xs" variant="default" aria-label={`Edit ${h.url}`} onClick={() => setEditing(h)}>
                    Edit
                  </Button>
                  <ConfirmButton
                    color="orange"
                    ariaLabel={`Rotate the secret of ${h.url}`}
                    title="Rotate the signing secret?"
                    message="A new secret is made and shown once. The old one keeps signing alongside for 24 hours, so the receiver has a day to switch."
                    confirmLabel="Rotate secret"
                    onConfirm={() => hooks.act(async () => setSecret({ url: h.url, secret: (await rotateSecret(api, h.id)).secret }))}
                  >
                    Rotate secret
                  </ConfirmButton>
                  <ConfirmButton
                    ariaLabel={`Delete endpoint ${h.url}`}
                    title="Delete this endpoint?"
                    message="Nothing more is delivered to it, and its messages and delivery attempts are deleted. This cannot be undone."
                    confirmLabel="Delete endpoint"
                    onConfirm={() => remove(h)}
                  >
                    Delete
                  </ConfirmButton>
                </Group>
              ),
            },
          ]}
        />
      </Section>
      {open && <Deliveries key={open.id} hook={open} />}
      {editing && <WebhookEdit hook={editing} onClose={() => setEditing(null)} onSaved={() => void hooks.reload()} />}
      <Modal opened={secret !== null} onClose={() => setSecret(null)} title="Signing secret" size="lg" centered>
        {secret && (
          <Stack>
            <Text size="sm">
              The secret of {secret.url} is shown only now. The receiver checks each delivery&apos;s signature with it.
            </Text>
            <Secret label="Signing secret" value={secret.secret} />
            <Group justify="flex-end">
              <Button onClick={() => setSecret(null)}>I have saved it</Button>
            </Group>
          </Stack>
        )}
      </Modal>
    </Stack>
  );
}

/** An endpoint's latest delivery attempts, newest first; a message can be sent again. */
function Deliveries({ hook }: { hook: Webhook }) {
  const { api } = useConsole();
  const attempts = useLoad(() => listAttempts(api, hook.id), [api, hook.id]);
  const [replayed, setReplayed] = useState<string | null>(null);
  const replay = (messageId: string) =>
    attempts.act(async () => {
      await replayMessage(api, hook.id, messageId);
      setReplayed(messageId);
    });
  return (
    <Section title={`Deliveries to ${hook.url}`} error={attempts.error} onDismiss={() => attempts.setError(null)}>
      <Group>
        <Button variant="default" onClick={() => void attempts.reload()} loading={attempts.loading}>
          Refresh
        </Button>
        {replayed && (
          <Text size="sm" c="dimmed" role="status">
            Message {replayed} is on its way again.
          </Text>
        )}
      </Group>
      <DataTable
        label={`Delivery attempts to ${hook.url}`}
        rows={attempts.data}
        rowKey={(a) => a.id}
        empty="Nothing delivered yet."
        minWidth={640}
        columns={[
          { header: 'Time', cell: (a) => new Date(a.createdAt).toLocaleString() },
          { header: 'Event', cell: (a) => a.eventType },
          { header: 'Attempt', cell: (a) => a.attempt },
          {
            header: 'Answer',
            cell: (a) => (
              <Badge variant="light" color={a.statusCode && a.statusCode < 300 ? 'green' : 'red'} title={a.responseExcerpt ?? undefined}>
                {a.statusCode ?? a.error ?? 'no answer'}
              </Badge>
            ),
          },
          { header: 'Latency', cell: (a) => (a.latencyMs == null ? '—' : `${a.latencyMs} ms`) },
          {
            header: 'Actions',
            hideHeader: true,
            align: 'right',
            cell: (a) => (
              <Button size="xs" variant="default" aria-label={`Replay message ${a.messageId}`} onClick={() => void replay(a.messageId)}>
                Replay
              </Button>
            ),
          },
        ]}
      />
    </Section>
  );
}
