import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { createTableRequest } from '../../api/nosql';
import { BASE, fakeGateway, instance, json, renderPage, setUpDom } from '../../testing/harness';
import { NoSqlTables } from './NoSql';

setUpDom();
const DB = BASE('nosqldatabase');

const orders = {
  tableName: 'orders',
  tableStatus: 'ACTIVE',
  itemCount: 1,
  keySchema: [
    { attributeName: 'customer', keyType: 'HASH' },
    { attributeName: 'at', keyType: 'RANGE' },
  ],
  attributeDefinitions: [
    { attributeName: 'customer', attributeType: 'S' },
    { attributeName: 'at', attributeType: 'N' },
  ],
};
const stored = { customer: { S: 'c 1' }, at: { N: '7' }, total: { N: '9.5' } };
const byState = {
  ...orders,
  tableName: 'shipments',
  attributeDefinitions: [...orders.attributeDefinitions, { attributeName: 'state', attributeType: 'S' }],
  globalSecondaryIndexes: [
    { indexName: 'by-state', keySchema: [{ attributeName: 'state', keyType: 'HASH' }], projection: { projectionType: 'ALL' }, indexStatus: 'ACTIVE' },
  ],
};
const shipment = (n: number) => ({ customer: { S: `c${n}` }, at: { N: String(n) }, state: { S: 'sent' } });

function nosqlService() {
  return fakeGateway({
    [`GET ${DB}/tables`]: () => ({ tables: [orders, byState], count: 2 }),
    // Two items a page: the first page says where it stopped.
    [`POST ${DB}/tables/shipments/query`]: ({ body }) =>
      (body as { exclusiveStartKey?: unknown }).exclusiveStartKey
        ? { items: [shipment(3)], count: 1, scannedCount: 1 }
        : { items: [shipment(1), shipment(2)], count: 2, scannedCount: 2, lastEvaluatedKey: { customer: { S: 'c2' }, at: { N: '2' }, state: { S: 'sent' } } },
    [`POST ${DB}/tables`]: ({ body }) => json(body, 201),
    [`POST ${DB}/tables/orders/items`]: ({ body }) => json(body, 201),
    [`POST ${DB}/tables/orders/query`]: () => ({ items: [stored], count: 1, scannedCount: 1 }),
    [`DELETE ${DB}/tables/orders/items/c%201`]: () => ({ item: stored }),
    [`GET ${DB}/tables/orders/items/missing`]: () =>
      json({ error: { code: 'ResourceNotFoundException', message: 'Requested resource not found' } }, 404),
  });
}

/** Picks an option of one select among several with the same options: in the list it controls. */
async function choose(select: string, option: string) {
  const combobox = screen.getByRole('combobox', { name: select });
  fireEvent.click(combobox);
  const list = await waitFor(() => document.getElementById(combobox.getAttribute('aria-controls') ?? '') ?? Promise.reject(new Error('no list')));
  fireEvent.click(within(list).getByRole('option', { name: option, hidden: true }));
}

async function openOrders() {
  const gateway = nosqlService();
  renderPage(<NoSqlTables instance={instance('NoSQLDatabase')} />, gateway.api);
  fireEvent.click(await screen.findByRole('button', { name: 'orders' }));
  await screen.findByRole('heading', { name: 'Items of orders' });
  return gateway;
}

describe('NoSQL tables', () => {
  it('creates an on-demand table with a partition and a sort key', async () => {
    const gateway = nosqlService();
    renderPage(<NoSqlTables instance={instance('NoSQLDatabase')} />, gateway.api);
    expect((await screen.findByTestId('table-orders')).textContent).toContain('customer (S) + at (N)');
    fireEvent.change(screen.getByLabelText(/Table name/), { target: { value: 'users' } });
    fireEvent.change(screen.getByLabelText(/Sort key \(optional\)/), { target: { value: 'since' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create table' }));
    await waitFor(() => expect(gateway.sent('POST', `${DB}/tables`)).toHaveLength(1));
    expect(gateway.sent('POST', `${DB}/tables`)[0].body).toEqual({
      tableName: 'users',
      keySchema: [
        { attributeName: 'id', keyType: 'HASH' },
        { attributeName: 'since', keyType: 'RANGE' },
      ],
      attributeDefinitions: [
        { attributeName: 'id', attributeType: 'S' },
        { attributeName: 'since', attributeType: 'S' },
      ],
      billingMode: 'PAY_PER_REQUEST',
    });
  });

  it('creates a table with a global and a local secondary index, each key attribute defined once', async () => {
    const gateway = nosqlService();
    renderPage(<NoSqlTables instance={instance('NoSQLDatabase')} />, gateway.api);
    expect((await screen.findByTestId('table-shipments')).textContent).toContain('by-state (global)');
    fireEvent.change(screen.getByLabelText(/Table name/), { target: { value: 'users' } });
    fireEvent.change(screen.getByLabelText(/Sort key \(optional\)/), { target: { value: 'since' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add a secondary index' }));
    fireEvent.click(screen.getByRole('button', { name: 'Add a secondary index' }));
    fireEvent.change(screen.getByLabelText('Name of index 1'), { target: { value: 'by-email' } });
    fireEvent.change(screen.getByLabelText('Partition key of index 1'), { target: { value: 'email' } });
    await choose('Kind of index 2', 'Local');
    fireEvent.change(screen.getByLabelText('Name of index 2'), { target: { value: 'by-score' } });
    fireEvent.change(screen.getByLabelText('Sort key of index 2'), { target: { value: 'score' } });
    await choose('Type of sort key of index 2', 'Number');
    fireEvent.click(screen.getByRole('button', { name: 'Create table' }));
    await waitFor(() => expect(gateway.sent('POST', `${DB}/tables`)).toHaveLength(1));
    expect(gateway.sent('POST', `${DB}/tables`)[0].body).toEqual({
      tableName: 'users',
      keySchema: [
        { attributeName: 'id', keyType: 'HASH' },
        { attributeName: 'since', keyType: 'RANGE' },
      ],
      billingMode: 'PAY_PER_REQUEST',
      globalSecondaryIndexes: [
        { indexName: 'by-email', keySchema: [{ attributeName: 'email', keyType: 'HASH' }], projection: { projectionType: 'ALL' } },
      ],
      localSecondaryIndexes: [
        {
          indexName: 'by-score',
          keySchema: [
            { attributeName: 'id', keyType: 'HASH' },
            { attributeName: 'score', keyType: 'RANGE' },
          ],
          projection: { projectionType: 'ALL' },
        },
      ],
      attributeDefinitions: [
        { attributeName: 'id', attributeType: 'S' },
        { attributeName: 'since', attributeType: 'S' },
        { attributeName: 'email', attributeType: 'S' },
        { attributeName: 'score', attributeType: 'N' },
      ],
    });
  });

  it('refuses an index that gives a key attribute another type, or lacks its keys', () => {
    const id = { name: 'id', type: 'S' };
    expect(() => createTableRequest('t', id, undefined, [{ kind: 'GSI', name: 'x', hash: { name: 'id', type: 'N' }, projection: 'ALL' }])).toThrow(
      'The key attribute id is used with two types (S and N).',
    );
    expect(() => createTableRequest('t', id, undefined, [{ kind: 'LSI', name: 'y', range: { name: '', type: 'S' }, projection: 'ALL' }])).toThrow(
      'The local index y needs a sort key.',
    );
  });

  it('queries an index and loads the next page from where the first stopped', async () => {
    const gateway = nosqlService();
    renderPage(<NoSqlTables instance={instance('NoSQLDatabase')} />, gateway.api);
    fireEvent.click(await screen.findByRole('button', { name: 'shipments' }));
    await screen.findByRole('heading', { name: 'Items of shipments' });
    fireEvent.click(screen.getByRole('combobox', { name: 'Read from' }));
    fireEvent.click(await screen.findByRole('option', { name: 'by-state: state (S)', hidden: true }));
    fireEvent.change(screen.getByLabelText('state ='), { target: { value: 'sent' } });
    fireEvent.change(screen.getByLabelText('Limit'), { target: { value: '2' } });
    fireEvent.click(screen.getByRole('button', { name: 'Query' }));

    expect((await screen.findByText(/items shown/)).textContent).toBe('2 items shown; the read stopped at its limit.');
    const first = gateway.sent('POST', `${DB}/tables/shipments/query`)[0].body;
    expect(first).toEqual({
      keyConditions: { state: { attributeValueList: [{ S: 'sent' }], comparisonOperator: 'EQ' } },
      limit: 2,
      indexName: 'by-state',
    });
    fireEvent.click(screen.getByRole('button', { name: 'Load more' }));
    const table = await screen.findByRole('table', { name: 'Items found in shipments' });
    await waitFor(() => expect(within(table).getAllByRole('row')).toHaveLength(4)); // a header and 3 items
    expect(gateway.sent('POST', `${DB}/tables/shipments/query`)[1].body).toEqual({
      ...(first as object),
      exclusiveStartKey: { customer: { S: 'c2' }, at: { N: '2' }, state: { S: 'sent' } },
    });
    expect(screen.queryByRole('button', { name: 'Load more' })).toBeNull();
  });

  it('puts an item typed as plain JSON as AttributeValues', async () => {
    const gateway = await openOrders();
    fireEvent.change(screen.getByLabelText(/Item \(JSON\)/), { target: { value: '{"customer":"c 1","at":7,"paid":true}' } });
    fireEvent.click(screen.getByRole('button', { name: 'Put item' }));
    await screen.findByRole('table', { name: 'Items found in orders' });
    expect(gateway.sent('POST', `${DB}/tables/orders/items`)[0].body).toEqual({
      item: { customer: { S: 'c 1' }, at: { N: '7' }, paid: { BOOL: true } },
    });
  });

  it('says so when the item is not JSON, without calling the API', async () => {
    const gateway = await openOrders();
    fireEvent.change(screen.getByLabelText(/Item \(JSON\)/), { target: { value: '{customer: 1}' } });
    fireEvent.click(screen.getByRole('button', { name: 'Put item' }));
    expect((await screen.findByRole('alert')).textContent).toContain('not valid JSON');
    expect(gateway.sent('POST', `${DB}/tables/orders/items`)).toHaveLength(0);
  });

  it('queries by the partition key and a typed sort-key condition, then deletes by both keys', async () => {
    const gateway = await openOrders();
    fireEvent.change(screen.getByLabelText('customer ='), { target: { value: 'c 1' } });
    fireEvent.click(screen.getByRole('combobox', { name: 'at condition' }));
    fireEvent.click(await screen.findByRole('option', { name: '≥', hidden: true }));
    fireEvent.change(screen.getByLabelText('at value'), { target: { value: '5' } });
    fireEvent.click(screen.getByRole('button', { name: 'Query' }));

    const table = await screen.findByRole('table', { name: 'Items found in orders' });
    expect(within(table).getByText(/"total": 9.5/)).toBeTruthy();
    expect(gateway.sent('POST', `${DB}/tables/orders/query`)[0].body).toEqual({
      keyConditions: {
        customer: { attributeValueList: [{ S: 'c 1' }], comparisonOperator: 'EQ' },
        at: { attributeValueList: [{ N: '5' }], comparisonOperator: 'GE' },
      },
      limit: 25,
    });

    fireEvent.click(within(table).getByRole('button', { name: 'Delete item c 1' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Delete item' }));
    await waitFor(() => expect(gateway.sent('DELETE', `${DB}/tables/orders/items/c%201`)).toHaveLength(1));
    expect(gateway.sent('DELETE', `${DB}/tables/orders/items/c%201`)[0].query.get('rangeKey')).toBe('7');
  });

  it('shows a missing item in the API words', async () => {
    await openOrders();
    fireEvent.change(screen.getByLabelText('customer ='), { target: { value: 'missing' } });
    fireEvent.change(screen.getByLabelText('at value'), { target: { value: '1' } });
    fireEvent.click(screen.getByRole('button', { name: 'Get item' }));
    expect((await screen.findByRole('alert')).textContent).toContain('Requested resource not found');
  });
});
