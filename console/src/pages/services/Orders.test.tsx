import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { formatMinor, orderTotal, successRate, type Order } from '../../api/commerce';
import { fakeGateway, json, renderPage, setUpDom } from '../../testing/harness';
import { Orders } from './Orders';

setUpDom();

const ID = '0b9c5a3e-1111-4222-8333-444455556666';
const OLDER = '7f000000-1111-4222-8333-444455556666';
const order: Order = {
  id: ID, customerName: 'John Doe', customerEmail: 'john@example.com', currency: 'usd', totalAmount: 59.98,
  items: [{ id: 'item_1', name: 'Product A', quantity: 2, price: 29.99 }], status: 'pending', paymentStatus: 'pending',
  paymentIntentId: 'pi_1', createdAt: '2026-12-06T10:00:00Z', updatedAt: '2026-12-06T10:00:00Z',
};

function commerceService(current: Order = order) {
  return fakeGateway({
    'GET /api/orders': ({ query }) =>
      query.get('lastKey') === 'k1'
        ? { success: true, data: [{ id: OLDER, totalAmount: 5, status: 'delivered', createdAt: '2026-12-01T10:00:00Z' }], pagination: { lastKey: null, hasMore: false } }
        : { success: true, data: [{ id: ID, customerName: 'John Doe', totalAmount: 59.98, status: current.status, createdAt: current.createdAt }], pagination: { lastKey: 'k1', hasMore: true } },
    'POST /api/orders': ({ body }) => {
      const b = body as { totalAmount: number };
      return b.totalAmount > 1000
        ? json({ success: false, error: { message: 'totalAmount must be at most 1000' } }, 400)
        : json({ success: true, data: { order: current, clientSecret: 'pi_1_secret' }, message: 'Order created successfully' }, 201);
    },
    [`GET /api/orders/${ID}`]: () => ({ success: true, data: current }),
    'GET /api/payments/pi_1': () => ({ success: true, data: { id: 'pi_1', amount: 5998, currency: 'usd', status: current.status === 'pending' ? 'requires_payment_method' : 'succeeded' } }),
    'POST /api/payments/confirm': () => ({ success: true, data: { status: 'succeeded' }, message: 'Payment confirmed successfully' }),
    'POST /api/payments/refund': () => ({ success: true, data: { id: 're_1', amount: 1000, status: 'succeeded' } }),
    ...monitoring,
  });
}

/** Seed 004's monitoring answers (commerce-service's shapes). */
const monitoring = {
  'GET /api/monitoring/metrics': ({ query }: { query: URLSearchParams }) => ({
    success: true,
    data: {
      timeRange: { start: '2026-12-06T10:00:00Z', end: '2026-12-07T10:00:00Z' },
      orders: query.get('timeRange') === '1h' ? { total: 1, successful: 0, failed: 0, pending: 1 } : { total: 12, successful: 10, failed: 2, pending: 0 },
      revenue: { total: 1234.5, currency: query.get('currency') },
      integrations: { stripe: { calls: 24, errors: 1 } },
    },
  }),
  'GET /api/monitoring/integrations': () => ({
    success: true,
    data: {
      timestamp: '2026-12-07T10:00:00Z',
      integrations: {
        stripe: { name: 'Stripe Payment Gateway', status: 'operational', mode: 'sandbox', circuit: 'closed', calls: 24, errors: 1, lastSuccess: '2026-12-07T09:59:00Z', lastError: null },
        googleSheets: { name: 'Google Sheets API', status: 'degraded', mode: 'sandbox', circuit: 'open', calls: 3, errors: 3, lastError: 'Rate limit exceeded', lastErrorAt: '2026-12-07T09:00:00Z' },
      },
    },
  }),
  'GET /api/monitoring/errors': () => ({
    success: true,
    data: { errors: [{ timestamp: '2026-12-07T09:00:00Z', level: 'error', message: 'Failed to sync order to Google Sheets', service: 'googleSheets', orderId: ID, error: 'Rate limit exceeded' }], count: 1, period: '24h' },
  }),
  'GET /api/monitoring/health': () => ({ success: true, data: { status: 'healthy', services: { database: { status: 'up', latency: 3 } } } }),
};

const fill = (label: RegExp, value: string) => fireEvent.change(screen.getByLabelText(label), { target: { value } });

describe('Orders', () => {
  it('adds up an order and shows Stripe amounts in major units', () => {
    expect(orderTotal([{ name: 'a', quantity: 3, price: 0.1 }])).toBe(0.3);
    expect(formatMinor(10997, 'usd')).toBe('109.97 USD');
    expect(formatMinor(500, 'jpy')).toBe('500 JPY');
  });

  it('creates an order, opens it with its payment and confirms the payment', async () => {
    const gateway = commerceService();
    renderPage(<Orders />, gateway.api);
    await screen.findByTestId(`order-${ID}`);
    fill(/Customer e-mail/, 'john@example.com');
    fill(/Customer name/, 'John Doe');
    fill(/^Item/, 'Product A');
    fill(/Quantity/, '2');
    fill(/Unit price/, '29.99');
    fireEvent.click(screen.getByRole('button', { name: /Create order \(59.98 USD\)/ }));
    await waitFor(() => expect(gateway.sent('POST', '/api/orders')).toHaveLength(1));
    expect(gateway.sent('POST', '/api/orders')[0].body).toEqual({
      customerEmail: 'john@example.com',
      customerName: 'John Doe',
      currency: 'usd',
      items: [{ name: 'Product A', quantity: 2, price: 29.99 }],
      totalAmount: 59.98,
    });
    const details = await screen.findByTestId('order-details');
    await waitFor(() => expect(details.textContent).toContain('Stripe: pi_1, requires_payment_method, 59.98 USD'));

    fireEvent.click(screen.getByRole('button', { name: 'Confirm payment (test card)' }));
    expect((await screen.findByRole('status')).textContent).toContain('Stripe answered “succeeded”');
    expect(gateway.sent('POST', '/api/payments/confirm')[0].body).toEqual({ paymentIntentId: 'pi_1', orderId: ID });
  });

  it('shows the service refusal in words', async () => {
    const gateway = commerceService();
    renderPage(<Orders />, gateway.api);
    await screen.findByTestId(`order-${ID}`);
    fill(/Customer e-mail/, 'john@example.com');
    fill(/^Item/, 'Gold');
    fill(/Unit price/, '5000');
    fireEvent.click(screen.getByRole('button', { name: /Create order/ }));
    expect((await screen.findByRole('alert')).textContent).toContain('totalAmount must be at most 1000');
  });

  it('refunds part of a paid order after a confirmation and moves it along', async () => {
    const gateway = commerceService({ ...order, status: 'paid', paymentStatus: 'completed' });
    renderPage(<Orders />, gateway.api);
    fireEvent.click(await screen.findByRole('button', { name: `Order ${ID}` }));
    fireEvent.change(await screen.findByLabelText(/Refund amount/), { target: { value: '10' } });
    fireEvent.click(await screen.findByRole('button', { name: 'Refund' }));
    const dialog = await screen.findByRole('dialog');
    expect(dialog.textContent).toContain('10 USD');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Refund' }));
    await waitFor(() => expect(gateway.sent('POST', '/api/payments/refund')).toHaveLength(1));
    expect(gateway.sent('POST', '/api/payments/refund')[0].body).toEqual({ orderId: ID, amount: 10, reason: 'requested_by_customer' });
    expect(screen.queryByRole('button', { name: /Confirm payment/ })).toBeNull();
    expect(screen.getByRole('button', { name: 'Mark processing' })).toBeTruthy();
  });

  it('pages on with the cursor the service gave', async () => {
    const gateway = commerceService();
    renderPage(<Orders />, gateway.api);
    fireEvent.click(await screen.findByRole('button', { name: 'Show more' }));
    await screen.findByTestId(`order-${OLDER}`);
    expect(screen.getByTestId(`order-${ID}`)).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Show more' })).toBeNull();
    expect(gateway.sent('GET', '/api/orders')[1].query.get('lastKey')).toBe('k1');
  });

  it('creates an order of several items, adding up their total', async () => {
    const gateway = commerceService();
    renderPage(<Orders />, gateway.api);
    await screen.findByTestId(`order-${ID}`);
    fill(/Customer e-mail/, 'john@example.com');
    fill(/^Item\W*$/, 'Product A');
    fill(/^Quantity\W*$/, '2');
    fill(/^Unit price\W*$/, '29.99');
    fireEvent.click(screen.getByRole('button', { name: 'Add item' }));
    fireEvent.click(screen.getByRole('button', { name: 'Add item' }));
    fill(/^Item 2/, 'Product B');
    fill(/^Unit price 2/, '49.99');
    fill(/^Item 3/, 'Mistake');
    fill(/^Unit price 3/, '1');
    fireEvent.click(screen.getByRole('button', { name: 'Remove item 3' }));
    expect(screen.queryByLabelText(/^Item 3/)).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: /Create order \(109.97 USD\)/ }));
    await waitFor(() => expect(gateway.sent('POST', '/api/orders')).toHaveLength(1));
    expect(gateway.sent('POST', '/api/orders')[0].body).toMatchObject({
      items: [
        { name: 'Product A', quantity: 2, price: 29.99 },
        { name: 'Product B', quantity: 1, price: 49.99 },
      ],
      totalAmount: 109.97,
    });
    // The form starts again from one empty item.
    await waitFor(() => expect(screen.queryByLabelText(/^Item 2/)).toBeNull());
  });

  it('shows the monitoring views: order statistics over a range, integrations and their failures', async () => {
    expect(successRate({ total: 3, successful: 0, failed: 0, pending: 3 })).toBe('—');
    expect(successRate({ total: 12, successful: 10, failed: 2, pending: 0 })).toBe('83.3 %');
    const gateway = commerceService();
    renderPage(<Orders />, gateway.api);
    const metrics = await screen.findByTestId('order-metrics');
    expect(metrics.textContent).toContain('Orders12');
    expect(metrics.textContent).toContain('83.3 %');
    expect(metrics.textContent).toContain('1234.5 USD');
    expect(screen.getByTestId('commerce-health').textContent).toBe('healthy');
    expect(screen.getByTestId('integration-googleSheets').textContent).toContain('Rate limit exceeded');
    expect(screen.getByTestId('integration-googleSheets').textContent).toContain('open');
    const failures = screen.getByRole('table', { name: 'Integration failures, last 24 h' });
    expect(failures.textContent).toContain('Failed to sync order to Google Sheets: Rate limit exceeded');
    expect(gateway.sent('GET', '/api/monitoring/metrics')[0].query.get('timeRange')).toBe('24h');

    fireEvent.click(screen.getByRole('combobox', { name: 'Time range' }));
    fireEvent.click(await screen.findByRole('option', { name: '1h', hidden: true }));
    await waitFor(() => expect(screen.getByTestId('order-metrics').textContent).toContain('Pending1'));
    expect(gateway.sent('GET', '/api/monitoring/metrics').at(-1)!.query.get('timeRange')).toBe('1h');
  });
});
