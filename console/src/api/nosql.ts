import type { AttributeValue, Item } from '../logic/attributes';
import type { ApiClient } from './client';
import { seg } from './service';

/** Seed 000's NoSQL tables of one `nosqldatabase` instance (docs/nosql.md). */
export interface KeyElement {
  attributeName: string;
  keyType: 'HASH' | 'RANGE';
}

export interface NoSqlTable {
  tableName: string;
  tableStatus?: string;
  keySchema: KeyElement[];
  attributeDefinitions: { attributeName: string; attributeType: string }[];
  itemCount?: number;
  tableSizeBytes?: number;
  creationDateTime?: string | number;
}

/** The table's partition key and, when it has one, its sort key, with their types. */
export function tableKeys(table: NoSqlTable): { hash: KeyInfo; range?: KeyInfo } {
  const info = (element: KeyElement | undefined): KeyInfo | undefined =>
    element && {
      name: element.attributeName,
      type: table.attributeDefinitions.find((d) => d.attributeName === element.attributeName)?.attributeType ?? 'S',
    };
  return {
    hash: info(table.keySchema.find((k) => k.keyType === 'HASH'))!,
    range: info(table.keySchema.find((k) => k.keyType === 'RANGE')),
  };
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

/** On-demand capacity: the console asks for no throughput numbers. */
export function createTable(api: ApiClient, base: string, name: string, hash: KeyInfo, range?: KeyInfo) {
  const keys = range ? [hash, range] : [hash];
  return api.json<NoSqlTable>('POST', `${base}/tables`, {
    tableName: name,
    keySchema: keys.map((k, i) => ({ attributeName: k.name, keyType: i === 0 ? 'HASH' : 'RANGE' })),
    attributeDefinitions: keys.map((k) => ({ attributeName: k.name, attributeType: k.type })),
    billingMode: 'PAY_PER_REQUEST',
  });
}

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

export interface QueryInput {
  hash: AttributeValue;
  sort?: { name: string; operator: SortOperator; values: AttributeValue[] };
  limit: number;
}

/** A query by the partition key (EQ) and optionally a condition on the sort key. */
export function queryItems(api: ApiClient, base: string, table: string, hashName: string, input: QueryInput) {
  const keyConditions: Record<string, unknown> = {
    [hashName]: { attributeValueList: [input.hash], comparisonOperator: 'EQ' },
  };
  if (input.sort) {
    keyConditions[input.sort.name] = { attributeValueList: input.sort.values, comparisonOperator: input.sort.operator };
  }
  return api.json<ItemPage>('POST', `${tablePath(base, table)}/query`, { keyConditions, limit: input.limit });
}

export const scanItems = (api: ApiClient, base: string, table: string, limit: number) =>
  api.json<ItemPage>('POST', `${tablePath(base, table)}/scan`, { limit });
