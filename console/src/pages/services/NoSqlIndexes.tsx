import { Button, Group, Select, Stack, Text, TextInput } from '@mantine/core';
import type { IndexDraft, KeyInfo, Projection } from '../../api/nosql';

export const KEY_TYPES = [
  { value: 'S', label: 'String' },
  { value: 'N', label: 'Number' },
  { value: 'B', label: 'Binary' },
];

const PROJECTIONS: { value: Projection; label: string }[] = [
  { value: 'ALL', label: 'All attributes' },
  { value: 'KEYS_ONLY', label: 'Keys only' },
];

const blankKey = (): KeyInfo => ({ name: '', type: 'S' });

/** A new draft: global by default, as most indexes are. */
export const newIndex = (): IndexDraft => ({ kind: 'GSI', name: '', hash: blankKey(), range: blankKey(), projection: 'ALL' });

/**
 * The secondary indexes of a table being created: DynamoDB's REST face creates them only with
 * their table (the seed API has no UpdateTable), so they are part of the create form.
 */
export function IndexDrafts({ drafts, onChange }: { drafts: IndexDraft[]; onChange: (drafts: IndexDraft[]) => void }) {
  const change = (at: number, patch: Partial<IndexDraft>) => onChange(drafts.map((d, i) => (i === at ? { ...d, ...patch } : d)));
  return (
    <Stack gap="xs">
      {drafts.map((draft, at) => {
        const label = `index ${at + 1}`;
        return (
          <Group key={at} align="flex-end" wrap="wrap" role="group" aria-label={`Secondary ${label}`}>
            <Select
              label="Kind"
              aria-label={`Kind of ${label}`}
              data={[
                { value: 'GSI', label: 'Global' },
                { value: 'LSI', label: 'Local' },
              ]}
              value={draft.kind}
              onChange={(v) => change(at, { kind: (v as 'GSI' | 'LSI') ?? 'GSI' })}
              allowDeselect={false}
              w={110}
            />
            <TextInput label="Index name" aria-label={`Name of ${label}`} required value={draft.name} onChange={(e) => change(at, { name: e.currentTarget.value })} w={160} />
            {draft.kind === 'GSI' ? (
              <KeyFields label={`Partition key of ${label}`} title="Index partition key" value={draft.hash ?? blankKey()} onChange={(hash) => change(at, { hash })} />
            ) : (
              <Text size="sm" c="dimmed" pb={8}>
                the table's partition key +
              </Text>
            )}
            <KeyFields
              label={`Sort key of ${label}`}
              title={draft.kind === 'LSI' ? 'Index sort key' : 'Index sort key (optional)'}
              value={draft.range ?? blankKey()}
              onChange={(range) => change(at, { range })}
            />
            <Select
              label="Projection"
              aria-label={`Projection of ${label}`}
              data={PROJECTIONS}
              value={draft.projection}
              onChange={(v) => change(at, { projection: (v as Projection) ?? 'ALL' })}
              allowDeselect={false}
              w={150}
            />
            <Button variant="subtle" color="red" onClick={() => onChange(drafts.filter((_, i) => i !== at))} aria-label={`Remove ${label}`}>
              Remove
            </Button>
          </Group>
        );
      })}
      <Group>
        <Button variant="default" onClick={() => onChange([...drafts, newIndex()])}>
          Add a secondary index
        </Button>
      </Group>
    </Stack>
  );
}

function KeyFields({ label, title, value, onChange }: { label: string; title: string; value: KeyInfo; onChange: (key: KeyInfo) => void }) {
  return (
    <>
      <TextInput label={title} aria-label={label} value={value.name} onChange={(e) => onChange({ ...value, name: e.currentTarget.value })} w={150} />
      <Select
        label="Type"
        aria-label={`Type of ${label.toLowerCase()}`}
        data={KEY_TYPES}
        value={value.type}
        onChange={(v) => onChange({ ...value, type: v ?? 'S' })}
        allowDeselect={false}
        w={110}
      />
    </>
  );
}
