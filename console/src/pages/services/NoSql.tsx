import { Anchor, Button, Code, Group, NumberInput, Select, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { useRef, useState, type FormEvent } from 'react';
import type { Instance } from '../../api/identity';
import {
  createTable,
  deleteItem,
  deleteTable,
  getItem,
  listTables,
  putItem,
  queryItems,
  scanItems,
  tableIndexes,
  tableKeys,
  type IndexDraft,
  type ItemPage,
  type NoSqlTable,
  type SortOperator,
} from '../../api/nosql';
import { serviceBase } from '../../api/service';
import { ConfirmButton } from '../../components/ConfirmButton';
import { DataTable } from '../../components/DataTable';
import { Section } from '../../components/Section';
import { useActions, useLoad } from '../../components/useLoad';
import { useConsole } from '../../console';
import { fromItem, keyAttribute, parseItem, type Item } from '../../logic/attributes';
import { IndexDrafts, KEY_TYPES } from './NoSqlIndexes';

/** A NoSQL instance's tables: create (partition and optional sort key, secondary indexes), delete, open one. */
export function NoSqlTables({ instance }: { instance: Instance }) {
  const { api } = useConsole();
  const base = serviceBase('nosqldatabase', instance);
  const tables = useLoad(() => listTables(api, base), [api, base]);
  const [open, setOpen] = useState<string | null>(null);
  const [name, setName] = useState('');
  const [hash, setHash] = useState({ name: 'id', type: 'S' });
  const [range, setRange] = useState({ name: '', type: 'S' });
  const [indexes, setIndexes] = useState<IndexDraft[]>([]);

  const create = async (event: FormEvent) => {
    event.preventDefault();
    const sort = range.name.trim() ? { name: range.name.trim(), type: range.type } : undefined;
    if (await tables.act(() => createTable(api, base, name.trim(), { ...hash, name: hash.name.trim() }, sort, indexes))) {
      setName('');
      setIndexes([]);
    }
  };
  const remove = async (table: string) => {
    if ((await tables.act(() => deleteTable(api, base, table))) && open === table) {
      setOpen(null);
    }
  };
  const openTable = tables.data?.find((t) => t.tableName === open);

  return (
    <>
      <Section title={`Tables of ${instance.serviceName}`} error={tables.error} onDismiss={() => tables.setError(null)}>
        <form onSubmit={create} aria-label="Create a table">
          <Group align="flex-end" wrap="wrap">
            <TextInput label="Table name" required value={name} onChange={(e) => setName(e.currentTarget.value)} w={200} />
            <TextInput
              label="Partition key"
              required
              value={hash.name}
              onChange={(e) => setHash({ ...hash, name: e.currentTarget.value })}
              w={150}
            />
            <Select
              label="Partition key type"
              data={KEY_TYPES}
              value={hash.type}
              onChange={(v) => setHash({ ...hash, type: v ?? 'S' })}
              allowDeselect={false}
              w={140}
            />
            <TextInput
              label="Sort key (optional)"
              value={range.name}
              onChange={(e) => setRange({ ...range, name: e.currentTarget.value })}
              w={150}
            />
            <Select
              label="Sort key type"
              data={KEY_TYPES}
              value={range.type}
              onChange={(v) => setRange({ ...range, type: v ?? 'S' })}
              allowDeselect={false}
              w={140}
            />
            <Button type="submit" loading={tables.busy}>
              Create table
            </Button>
          </Group>
          <IndexDrafts drafts={indexes} onChange={setIndexes} />
        </form>
        <DataTable
          label="Tables"
          rows={tables.data}
          rowKey={(t) => t.tableName}
          rowTestId={(t) => `table-${t.tableName}`}
          empty="No tables yet."
          columns={[
            {
              header: 'Name',
              cell: (t) => (
                <Anchor component="button" type="button" onClick={() => setOpen(t.tableName)}>
                  {t.tableName}
                </Anchor>
              ),
            },
            { header: 'Keys', cell: (t) => describeKeys(t) },
            {
              header: 'Indexes',
              cell: (t) =>
                tableIndexes(t)
                  .map((i) => `${i.indexName} (${i.kind === 'GSI' ? 'global' : 'local'}${i.indexStatus && i.indexStatus !== 'ACTIVE' ? `, ${i.indexStatus}` : ''})`)
                  .join(', ') || '—',
            },
            { header: 'Items', cell: (t) => t.itemCount ?? '—' },
            { header: 'Status', cell: (t) => t.tableStatus ?? '—' },
            {
              header: 'Actions',
              hideHeader: true,
              align: 'right',
              cell: (t) => (
                <ConfirmButton
                  ariaLabel={`Delete table ${t.tableName}`}
                  title={`Delete table ${t.tableName}?`}
                  message="The table and all its items are deleted. This cannot be undone."
                  confirmLabel="Delete table"
                  onConfirm={() => remove(t.tableName)}
                >
                  Delete
                </ConfirmButton>
              ),
            },
          ]}
        />
      </Section>
      {openTable && <TableItems key={openTable.tableName} base={base} table={openTable} />}
    </>
  );
}

function describeKeys(table: NoSqlTable, indexName?: string): string {
  const { hash, range } = tableKeys(table, indexName);
  return range ? `${hash.name} (${hash.type}) + ${range.name} (${range.type})` : `${hash.name} (${hash.type})`;
}

const SORT_OPERATORS: { value: SortOperator | ''; label: string }[] = [
  { value: '', label: 'any' },
  { value: 'EQ', label: '=' },
  { value: 'LT', label: '<' },
  { value: 'LE', label: '≤' },
  { value: 'GT', label: '>' },
  { value: 'GE', label: '≥' },
  { value: 'BEGINS_WITH', label: 'begins with' },
];

/**
 * One table's items: put one as JSON, get one by key, query (the table or an index) by key, scan,
 * delete. A query or scan that stopped at its limit continues with "Load more" from where it
 * stopped (its `lastEvaluatedKey`).
 */
function TableItems({ base, table }: { base: string; table: NoSqlTable }) {
  const { api } = useConsole();
  const { hash, range } = tableKeys(table);
  const name = table.tableName;
  const [items, setItems] = useState<Item[] | null>(null);
  const [lastKey, setLastKey] = useState<Item | undefined>(undefined);
  const reader = useRef<((start?: Item) => Promise<ItemPage>) | null>(null);
  const results = useActions();
  const [draft, setDraft] = useState(`{"${hash.name}": ""${range ? `, "${range.name}": ""` : ''}}`);
  const [index, setIndex] = useState('');
  const keys = tableKeys(table, index || undefined);
  const [hashValue, setHashValue] = useState('');
  const [sortOperator, setSortOperator] = useState<string>('');
  const [sortValue, setSortValue] = useState('');
  const [limit, setLimit] = useState<number | string>(25);

  const keyText = (item: Item, key: string) => String(Object.values(item[key] ?? {})[0] ?? '');
  /** Shows one item (a put or a get): no page to continue. */
  const showOne = (item: Item) => {
    reader.current = null;
    setLastKey(undefined);
    setItems([item]);
  };
  /** The first page of a read, or (with `start`) the next one, added below what is shown. */
  const showPage = async (read: (start?: Item) => Promise<ItemPage>, start?: Item) => {
    const page = await read(start);
    reader.current = read;
    setItems((shown) => (start ? [...(shown ?? []), ...page.items] : page.items));
    setLastKey(page.lastEvaluatedKey);
  };
  const put = async (event: FormEvent) => {
    event.preventDefault();
    await results.act(async () => showOne((await putItem(api, base, name, parseItem(draft))).item), { reload: false });
  };
  const get = () =>
    results.act(async () => showOne(await getItem(api, base, name, hashValue, range && sortValue ? sortValue : undefined)), {
      reload: false,
    });
  const query = (event: FormEvent) => {
    event.preventDefault();
    const sort =
      keys.range && sortOperator
        ? { name: keys.range.name, operator: sortOperator as SortOperator, values: [keyAttribute(keys.range.type, sortValue)] }
        : undefined;
    const input = { hash: keyAttribute(keys.hash.type, hashValue), sort, limit: Number(limit), indexName: index || undefined };
    void results.act(
      () => showPage((start) => queryItems(api, base, name, keys.hash.name, { ...input, exclusiveStartKey: start })),
      { reload: false },
    );
  };
  const scan = () => {
    const input = { limit: Number(limit), indexName: index || undefined };
    return results.act(() => showPage((start) => scanItems(api, base, name, { ...input, exclusiveStartKey: start })), { reload: false });
  };
  const more = () => results.act(() => showPage(reader.current!, lastKey), { reload: false });
  const remove = (item: Item) =>
    results.act(
      async () => {
        await deleteItem(api, base, name, keyText(item, hash.name), range ? keyText(item, range.name) : undefined);
        setItems((list) => (list ?? []).filter((i) => i !== item));
      },
      { reload: false },
    );
  const indexChoices = [
    { value: '', label: 'the table' },
    ...tableIndexes(table).map((i) => ({ value: i.indexName, label: `${i.indexName}: ${describeKeys(table, i.indexName)}` })),
  ];

  return (
    <Section title={`Items of ${name}`} error={results.error} onDismiss={() => results.setError(null)}>
      <form onSubmit={put} aria-label={`Put an item into ${name}`}>
        <Stack gap="xs">
          <Textarea
            label="Item (JSON)"
            description='Plain JSON ({"age": 30} is stored as a number) or DynamoDB AttributeValues ({"age": {"N": "30"}}). An item with the same key is replaced.'
            required
            minRows={3}
            value={draft}
            onChange={(e) => setDraft(e.currentTarget.value)}
            styles={{ input: { fontFamily: 'monospace' } }}
          />
          <Group>
            <Button type="submit" loading={results.busy}>
              Put item
            </Button>
          </Group>
        </Stack>
      </form>
      <form onSubmit={query} aria-label={`Find items in ${name}`}>
        <Group align="flex-end" wrap="wrap">
          {indexChoices.length > 1 && (
            <Select
              label="Read from"
              data={indexChoices}
              value={index}
              onChange={(v) => {
                setIndex(v ?? '');
                setSortOperator('');
              }}
              allowDeselect={false}
              w={240}
            />
          )}
          <TextInput label={`${keys.hash.name} =`} value={hashValue} onChange={(e) => setHashValue(e.currentTarget.value)} w={180} />
          {keys.range && (
            <>
              <Select
                label={`${keys.range.name} condition`}
                data={SORT_OPERATORS}
                value={sortOperator}
                onChange={(v) => setSortOperator(v ?? '')}
                allowDeselect={false}
                w={150}
              />
              <TextInput label={`${keys.range.name} value`} value={sortValue} onChange={(e) => setSortValue(e.currentTarget.value)} w={160} />
            </>
          )}
          <NumberInput label="Limit" min={1} max={1000} value={limit} onChange={setLimit} w={100} />
          <Button type="submit" variant="default" disabled={!hashValue}>
            Query
          </Button>
          <Button variant="default" disabled={!!index || !hashValue || (!!range && !sortValue)} onClick={() => void get()}>
            Get item
          </Button>
          <Button variant="default" onClick={() => void scan()}>
            Scan
          </Button>
        </Group>
      </form>
      <DataTable
        label={`Items found in ${name}`}
        rows={items}
        rowKey={(item) => JSON.stringify([keyText(item, hash.name), range ? keyText(item, range.name) : ''])}
        empty="No items matched."
        columns={[
          { header: hash.name, cell: (item) => keyText(item, hash.name) },
          ...(range ? [{ header: range.name, cell: (item: Item) => keyText(item, range.name) }] : []),
          { header: 'Item', cell: (item) => <Code block>{JSON.stringify(fromItem(item), null, 1)}</Code> },
          {
            header: 'Actions',
            hideHeader: true,
            align: 'right',
            cell: (item) => (
              <ConfirmButton
                ariaLabel={`Delete item ${keyText(item, hash.name)}`}
                title="Delete this item?"
                message="The item is deleted from the table. This cannot be undone."
                confirmLabel="Delete item"
                onConfirm={() => remove(item)}
              >
                Delete
              </ConfirmButton>
            ),
          },
        ]}
      />
      {items && lastKey && (
        <Group>
          <Text size="sm" c="dimmed" role="status">
            {items.length} items shown; the read stopped at its limit.
          </Text>
          <Button variant="default" loading={results.busy} onClick={() => void more()}>
            Load more
          </Button>
        </Group>
      )}
    </Section>
  );
}
