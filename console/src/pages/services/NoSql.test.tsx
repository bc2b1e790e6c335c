import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
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

function nosqlService() {
  return fakeGateway({
    [`GET ${DB}/tables`]: () => ({ tables: [orders], count: 1 }),
    [`POST ${DB}/tables`]: ({ body }) => json(body, 201),
    [`POST ${DB}/tables/orders/items`]: ({ body }) => json(body, 201),
    [`POST ${DB}/tables/orders/query`]: () => ({ items: [stored], count: 1, scannedCount: 1 }),
    [`DELETE ${DB}/tables/orders/items/c%201`]: () => ({ item: stored }),
    [`GET ${DB}/tables/orders/items/missing`]: () =>
      json({ error: { code: 'ResourceNotFoundException', message: 'Requested resource not found' } }, 404),
  });
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
