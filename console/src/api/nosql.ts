import type { AttributeValue, Item } from '../logic/attributes';
import type { ApiClient } from './client';
import { seg } from './service';

/** Seed 000's NoSQL tables of one `nosqldatabase` instance (docs/nosql.md). */
export interface KeyElement {
  attributeName: string;
  keyType: 'HASH' | 'RANGE';
}

export type Projection = 'ALL' | 'KEYS_ONLY';

/** A global or local secondary index as DescribeTable shows it. */
export interface SecondaryIndex {
  indexName: string;
  keySchema: KeyElement[];
  projection?: { projectionType: string };
  indexStatus?: string;
  itemCount?: number;
}

export interface NoSqlTable {
  tableName: string;
  tableStatus?: string;
  keySchema: KeyElement[];
  attributeDefinitions: { attributeName: string; attributeType: string }[];
  globalSecondaryIndexes?: SecondaryIndex[];
  localSecondaryIndexes?: SecondaryIndex[];
  itemCount?: number;
  tableSizeBytes?: number;
  creationDateTime?: string | number;
}

/**
 * The partition key and, when there is one, the sort key, with their types: of the table, or of
 * one of its indexes when `indexName` names one.
 */
export function tableKeys(table: NoSqlTable, indexName?: string): { hash: KeyInfo; range?: KeyInfo } {
  const index = indexName ? tableIndexes(table).find((i) => i.indexName === indexName) : undefined;
  const schema = index?.keySchema ?? table.keySchema;
  const info = (element: KeyElement | undefined): KeyInfo | undefined =>
    element && {
      name: element.attributeName,
      type: table.attributeDefinitions.find((d) => d.attributeName === element.attributeName)?.attributeType ?? 'S',
    };
  return {
    hash: info(schema.find((k) => k.keyType === 'HASH'))!,
    range: info(schema.find((k) => k.keyType === 'RANGE')),
  };
}

/** The table's indexes, global ones first, each with its kind. */
export function tableIndexes(table: NoSqlTable): (SecondaryIndex & { kind: 'GSI' | 'LSI' })[] {
  return [
    ...(table.globalSecondaryIndexes ?? []).map((i) => ({ ...i, kind: 'GSI' as const })),
    ...(table.localSecondaryIndexes ?? []).map((i) => ({ ...i, kind: 'LSI' as const })),
  ];
}

/**
 * An index to create with its table. A local index shares the table's partition key (so it has
 * only a sort key of its own); a global one has a partition key and an optional sort key.
 */
export interface IndexDraft {
  kind: 'GSI' | 'LSI';
  name: string;
  hash?: KeyInfo;
  range?: KeyInfo;
  projection: Projection;
}

export interface KeyInfo {
  name: string;
  type: string;
}

export interface ItemPage {
  items: Item[];
  count: number;
  scannedCount: number;
  lastEvaluatedKey?: Item;
}

const tablePath = (base: string, table: string) => `${base}/tables/${seg(table)}`;

export async function listTables(api: ApiClient, base: string): Promise<NoSqlTable[]> {
  return (await api.json<{ tables: NoSqlTable[] }>('GET', `${base}/tables`)).tables;
}

const keySchema = (keys: KeyInfo[]) => keys.map((k, i) => ({ attributeName: k.name, keyType: i === 0 ? 'HASH' : 'RANGE' }));

/**
 * CreateTable's body: the key schema, each index's, and one definition per key attribute used
 * anywhere (an attribute used twice must have one type: said here, before the service says it).
 * On-demand capacity: the console asks for no throughput numbers.
 */
export function createTableRequest(name: string, hash: KeyInfo, range: KeyInfo | undefined, indexes: IndexDraft[] = []) {
  const keys = range ? [hash, range] : [hash];
  const definitions = new Map<string, string>();
  const define = (key: KeyInfo) => {
    const known = definitions.get(key.name);
    if (known && known !== key.type) {
      throw new Error(`The key attribute ${key.name} is used with two types (${known} and ${key.type}).`);
    }
    definitions.set(key.name, key.type);
  };
  keys.forEach(define);
  const body: Record<string, unknown> = {
    tableName: name,
    keySchema: keySchema(keys),
    billingMode: 'PAY_PER_REQUEST',
  };
  const section = (kind: 'GSI' | 'LSI') =>
    indexes
      .filter((index) => index.kind === kind)
      .map((index) => {
        if (!index.name.trim()) {
          throw new Error('Every index needs a name.');
        }
        const indexHash = kind === 'LSI' ? hash : index.hash;
        if (!indexHash?.name.trim() || (kind === 'LSI' && !index.range?.name.trim())) {
          throw new Error(kind === 'LSI' ? `The local index ${index.name} needs a sort key.` : `The global index ${index.name} needs a partition key.`);
        }
        const indexKeys = index.range?.name.trim() ? [indexHash, index.range] : [indexHash];
        indexKeys.forEach(define);
        return { indexName: index.name.trim(), keySchema: keySchema(indexKeys), projection: { projectionType: index.projection } };
      });
  const global = section('GSI');
  const local = section('LSI');
  if (global.length > 0) {
    body.globalSecondaryIndexes = global;
  }
  if (local.length > 0) {
    body.localSecondaryIndexes = local;
  }
  body.attributeDefinitions = [...definitions].map(([attributeName, attributeType]) => ({ attributeName, attributeType }));
  return body;
}

export const createTable = (api: ApiClient, base: string, name: string, hash: KeyInfo, range?: KeyInfo, indexes: IndexDraft[] = []) =>
  api.json<NoSqlTable>('POST', `${base}/tables`, createTableRequest(name, hash, range, indexes));

export const deleteTable = (api: ApiClient, base: string, table: string) =>
  api.json<NoSqlTable>('DELETE', tablePath(base, table));

export const putItem = (api: ApiClient, base: string, table: string, item: Item) =>
  api.json<{ item: Item }>('POST', `${tablePath(base, table)}/items`, { item });

/** An item's path: the partition key's text in the path, the sort key's as `?rangeKey=`. */
function itemPath(base: string, table: string, hashKey: string, rangeKey?: string) {
  const query = rangeKey === undefined ? '' : `?${new URLSearchParams({ rangeKey })}`;
  return `${tablePath(base, table)}/items/${seg(hashKey)}${query}`;
}

export async function getItem(api: ApiClient, base: string, table: string, hashKey: string, rangeKey?: string) {
  return (await api.json<{ item: Item }>('GET', itemPath(base, table, hashKey, rangeKey))).item;
}

export const deleteItem = (api: ApiClient, base: string, table: string, hashKey: string, rangeKey?: string) =>
  api.json<{ item: Item }>('DELETE', itemPath(base, table, hashKey, rangeKey));

export type SortOperator = 'EQ' | 'LT' | 'LE' | 'GT' | 'GE' | 'BEGINS_WITH' | 'BETWEEN';

/** Where a page starts and what it reads: the table, or an index of it. */
export interface PageInput {
  limit: number;
  indexName?: string;
  /** The previous page's `lastEvaluatedKey`: this page continues after it. */
  exclusiveStartKey?: Item;
}

export interface QueryInput extends PageInput {
  hash: AttributeValue;
  sort?: { name: string; operator: SortOperator; values: AttributeValue[] };
}

const paging = (input: PageInput) => ({
  limit: input.limit,
  ...(input.indexName ? { indexName: input.indexName } : {}),
  ...(input.exclusiveStartKey ? { exclusiveStartKey: input.exclusiveStartKey } : {}),
});

/** A query by the partition key (EQ) and optionally a condition on the sort key. */
export function queryItems(api: ApiClient, base: string, table: string, hashName: string, input: QueryInput) {
  const keyConditions: Record<string, unknown> = {
    [hashName]: { attributeValueList: [input.hash], comparisonOperator: 'EQ' },
  };
  if (input.sort) {
    keyConditions[input.sort.name] = { attributeValueList: input.sort.values, comparisonOperator: input.sort.operator };
  }
  return api.json<ItemPage>('POST', `${tablePath(base, table)}/query`, { keyConditions, ...paging(input) });
}

export const scanItems = (api: ApiClient, base: string, table: string, input: PageInput) =>
  api.json<ItemPage>('POST', `${tablePath(base, table)}/scan`, paging(input));
