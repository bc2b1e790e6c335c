import { Anchor, Button, Code, Group, NumberInput, Select, Stack, Textarea, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
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
  tableKeys,
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

const KEY_TYPES = [
  { value: 'S', label: 'String' },
  { value: 'N', label: 'Number' },
  { value: 'B', label: 'Binary' },
];

/** A NoSQL instance's tables: create (partition and optional sort key), delete, open one. */
export function NoSqlTables({ instance }: { instance: Instance }) {
  const { api } = useConsole();
  const base = serviceBase('nosqldatabase', instance);
  const tables = useLoad(() => listTables(api, base), [api, base]);
  const [open, setOpen] = useState<string | null>(null);
  const [name, setName] = useState('');
  const [hash, setHash] = useState({ name: 'id', type: 'S' });
  const [range, setRange] = useState({ name: '', type: 'S' });

  const create = async (event: FormEvent) => {
    event.preventDefault();
    const sort = range.name.trim() ? { name: range.name.trim(), type: range.type } : undefined;
    if (await tables.act(() => createTable(api, base, name.trim(), { ...hash, name: hash.name.trim() }, sort))) {
      setName('');
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

function describeKeys(table: NoSqlTable): string {
  const { hash, range } = tableKeys(table);
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

/** One table's items: put one as JSON, get one by key, query by key, scan, delete. */
function TableItems({ base, table }: { base: string; table: NoSqlTable }) {
  const { api } = useConsole();
  const { hash, range } = tableKeys(table);
  const name = table.tableName;
  const [items, setItems] = useState<Item[] | null>(null);
  const results = useActions();
  const [draft, setDraft] = useState(`{"${hash.name}": ""${range ? `, "${range.name}": ""` : ''}}`);
  const [hashValue, setHashValue] = useState('');
  const [sortOperator, setSortOperator] = useState<string>('');
  const [sortValue, setSortValue] = useState('');
  const [limit, setLimit] = useState<number | string>(25);

  const keyText = (item: Item, key: string) => String(Object.values(item[key] ?? {})[0] ?? '');
  const put = async (event: FormEvent) => {
    event.preventDefault();
    await results.act(
      async () => {
        const item = (await putItem(api, base, name, parseItem(draft))).item;
        setItems([item]);
      },
      { reload: false },
    );
  };
  const get = () =>
    results.act(
      async () => setItems([await getItem(api, base, name, hashValue, range && sortValue ? sortValue : undefined)]),
      { reload: false },
    );
  const query = (event: FormEvent) => {
    event.preventDefault();
    const sort =
      range && sortOperator
        ? { name: range.name, operator: sortOperator as SortOperator, values: [keyAttribute(range.type, sortValue)] }
        : undefined;
    void results.act(
      async () =>
        setItems(
          (await queryItems(api, base, name, hash.name, { hash: keyAttribute(hash.type, hashValue), sort, limit: Number(limit) }))
            .items,
        ),
      { reload: false },
    );
  };
  const scan = () => results.act(async () => setItems((await scanItems(api, base, name, Number(limit))).items), { reload: false });
  const remove = (item: Item) =>
    results.act(
      async () => {
        await deleteItem(api, base, name, keyText(item, hash.name), range ? keyText(item, range.name) : undefined);
        setItems((list) => (list ?? []).filter((i) => i !== item));
      },
      { reload: false },
    );

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
          <TextInput label={`${hash.name} =`} value={hashValue} onChange={(e) => setHashValue(e.currentTarget.value)} w={180} />
          {range && (
            <>
              <Select
                label={`${range.name} condition`}
                data={SORT_OPERATORS}
                value={sortOperator}
                onChange={(v) => setSortOperator(v ?? '')}
                allowDeselect={false}
                w={150}
              />
              <TextInput label={`${range.name} value`} value={sortValue} onChange={(e) => setSortValue(e.currentTarget.value)} w={160} />
            </>
          )}
          <NumberInput label="Limit" min={1} max={1000} value={limit} onChange={setLimit} w={100} />
          <Button type="submit" variant="default" disabled={!hashValue}>
            Query
          </Button>
          <Button variant="default" disabled={!hashValue || (!!range && !sortValue)} onClick={() => void get()}>
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
    </Section>
  );
}
