import { Button, Code, Group, Select, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { listAliases, listVersions, publishVersion, putAlias, type FunctionVersion } from '../../api/functions';
import { DataTable } from '../../components/DataTable';
import { Section } from '../../components/Section';
import { useLoad } from '../../components/useLoad';
import { useConsole } from '../../console';

export interface Published {
  versions: FunctionVersion[];
  aliases: Record<string, string>;
}

/** A function's versions and aliases, loaded together: the invoke form names them too. */
export function usePublished(base: string, name: string) {
  const { api } = useConsole();
  return useLoad<Published>(async () => {
    const [versions, aliases] = await Promise.all([listVersions(api, base, name), listAliases(api, base, name)]);
    return { versions, aliases };
  }, [api, base, name]);
}

/**
 * Publish $LATEST as a numbered version (its code and configuration frozen), and point aliases at
 * versions: saving an alias that exists moves it, as function-service's API does.
 */
export function FunctionVersions({ base, name, published }: { base: string; name: string; published: ReturnType<typeof usePublished> }) {
  const { api } = useConsole();
  const [description, setDescription] = useState('');
  const [alias, setAlias] = useState('');
  const [target, setTarget] = useState<string | null>(null);
  const [aliasDescription, setAliasDescription] = useState('');
  const versions = published.data?.versions ?? [];
  const aliases = published.data?.aliases ?? {};
  const pointing = (version: string) =>
    Object.entries(aliases)
      .filter(([, v]) => v === version)
      .map(([a]) => a)
      .sort();

  const publish = async (event: FormEvent) => {
    event.preventDefault();
    if (await published.act(() => publishVersion(api, base, name, description.trim()))) {
      setDescription('');
    }
  };
  const saveAlias = async (event: FormEvent) => {
    event.preventDefault();
    if (target && (await published.act(() => putAlias(api, base, name, alias.trim(), target, aliasDescription.trim())))) {
      setAlias('');
      setAliasDescription('');
    }
  };
  const moving = alias.trim() in aliases;

  return (
    <Section title={`Versions of ${name}`} error={published.error} onDismiss={() => published.setError(null)}>
      <form onSubmit={publish} aria-label={`Publish a version of ${name}`}>
        <Group align="flex-end" wrap="wrap">
          <TextInput
            label="Version description"
            value={description}
            onChange={(e) => setDescription(e.currentTarget.value)}
            w={260}
          />
          <Button type="submit" loading={published.busy}>
            Publish version
          </Button>
        </Group>
      </form>
      <DataTable
        label={`Versions of ${name}`}
        rows={published.data ? versions : null}
        rowKey={(v) => v.version}
        rowTestId={(v) => `version-${v.version}`}
        empty="No versions."
        columns={[
          { header: 'Version', cell: (v) => v.version },
          { header: 'Description', cell: (v) => v.description || '—' },
          { header: 'Code SHA-256', cell: (v) => (v.codeSha256 ? <Code>{v.codeSha256.slice(0, 12)}…</Code> : '—') },
          { header: 'Aliases', cell: (v) => pointing(v.version).join(', ') || '—' },
        ]}
      />
      <form onSubmit={saveAlias} aria-label={`Save an alias of ${name}`}>
        <Group align="flex-end" wrap="wrap">
          <TextInput
            label="Alias"
            description={alias.trim() ? (moving ? `Moves from version ${aliases[alias.trim()]}` : 'A new alias') : ' '}
            required
            value={alias}
            onChange={(e) => setAlias(e.currentTarget.value)}
            w={180}
          />
          <Select
            label="Points at"
            description=" "
            required
            placeholder="a version"
            data={versions.map((v) => v.version)}
            value={target}
            onChange={setTarget}
            allowDeselect={false}
            w={140}
          />
          <TextInput
            label="Alias description"
            description=" "
            value={aliasDescription}
            onChange={(e) => setAliasDescription(e.currentTarget.value)}
            w={220}
          />
          <Button type="submit" loading={published.busy} disabled={!alias.trim() || !target}>
            {moving ? 'Move alias' : 'Create alias'}
          </Button>
        </Group>
      </form>
      <DataTable
        label={`Aliases of ${name}`}
        rows={published.data ? Object.entries(aliases).sort(([a], [b]) => a.localeCompare(b)) : null}
        rowKey={([a]) => a}
        rowTestId={([a]) => `alias-${a}`}
        empty="No aliases yet."
        columns={[
          { header: 'Alias', cell: ([a]) => a },
          { header: 'Version', cell: ([, v]) => v },
          {
            header: 'Actions',
            hideHeader: true,
            align: 'right',
            cell: ([a, v]) => (
              <Button
                size="xs"
                variant="default"
                aria-label={`Move alias ${a}`}
                onClick={() => {
                  setAlias(a);
                  setTarget(v);
                }}
              >
                Move
              </Button>
            ),
          },
        ]}
      />
    </Section>
  );
}
