import type { ApiClient } from './client';
import { seg } from './service';

/** commerce-service's orders and their Stripe payments, seed 004's shapes (docs/commerce.md). */
export interface OrderSummary {
  id: string;
  customerName?: string;
  totalAmount: number;
  status: string;
  createdAt: string;
}

export interface OrderItem {
  id?: string;
  name: string;
  quantity: number;
  price: number;
}

export interface Order extends OrderSummary {
  customerEmail: string;
  items: OrderItem[];
  currency: string;
  paymentStatus: string;
  paymentIntentId?: string;
  refundedAmount?: number;
  trackingNumber?: string;
  paidAt?: string;
  updatedAt: string;
}

export interface Payment {
  id: string;
  /** Minor units, as Stripe has it. */
  amount: number;
  currency: string;
  status: string;
}

interface Envelope<T> {
  success: boolean;
  data: T;
  message?: string;
  pagination?: { lastKey: string | null; hasMore: boolean };
}

export interface OrdersPage {
  orders: OrderSummary[];
  lastKey: string | null;
}

export async function listOrders(api: ApiClient, lastKey?: string | null): Promise<OrdersPage> {
  const query = new URLSearchParams({ limit: '20' });
  if (lastKey) {
    query.set('lastKey', lastKey);
  }
  const answer = await api.json<Envelope<OrderSummary[]>>('GET', `/api/orders?${query}`);
  return { orders: answer.data, lastKey: answer.pagination?.hasMore ? answer.pagination.lastKey : null };
}

export const getOrder = async (api: ApiClient, id: string) =>
  (await api.json<Envelope<Order>>('GET', `/api/orders/${seg(id)}`)).data;

export interface NewOrder {
  customerEmail: string;
  customerName?: string;
  currency: string;
  items: OrderItem[];
}

/** The items' total in the currency's major units, rounded to cents as the service checks it. */
export const orderTotal = (items: OrderItem[]) =>
  Math.round(items.reduce((sum, item) => sum + item.quantity * item.price, 0) * 100) / 100;

export const createOrder = async (api: ApiClient, order: NewOrder) =>
  (await api.json<Envelope<{ order: Order }>>('POST', '/api/orders', { ...order, totalAmount: orderTotal(order.items) }))
    .data.order;

/** Forward only: paid → processing → shipped → delivered. */
export const NEXT_STATUS: Record<string, string> = { paid: 'processing', processing: 'shipped', shipped: 'delivered' };

export const advanceOrder = (api: ApiClient, id: string, status: string, trackingNumber?: string) =>
  api.json<Envelope<unknown>>('PATCH', `/api/orders/${seg(id)}`, trackingNumber ? { status, trackingNumber } : { status });

/** Cancels: an unpaid payment is cancelled, a paid one refunded in full. */
export const cancelOrder = (api: ApiClient, id: string) => api.json<unknown>('DELETE', `/api/orders/${seg(id)}`);

/** Confirms with the service's configured test card (the sandbox's pm_card_visa). */
export const confirmPayment = async (api: ApiClient, order: Pick<Order, 'id' | 'paymentIntentId'>) =>
  (
    await api.json<Envelope<{ status: string }>>('POST', '/api/payments/confirm', {
      paymentIntentId: order.paymentIntentId,
      orderId: order.id,
    })
  ).data.status;

export const REFUND_REASONS = ['requested_by_customer', 'duplicate', 'fraudulent'];

/** `amount` in major units; none refunds what is left. */
export const refundOrder = (api: ApiClient, orderId: string, amount: number | null, reason: string) =>
  api.json<Envelope<unknown>>('POST', '/api/payments/refund', amount == null ? { orderId, reason } : { orderId, amount, reason });

export const getPayment = async (api: ApiClient, paymentIntentId: string) =>
  (await api.json<Envelope<Payment>>('GET', `/api/payments/${seg(paymentIntentId)}`)).data;

/** 10997 minor units of usd → "109.97 USD" (Stripe's two-decimal currencies; zero-decimal ones as they are). */
export function formatMinor(amount: number, currency: string): string {
  const zeroDecimal = ['jpy', 'krw', 'vnd', 'clp', 'isk', 'ugx', 'xaf', 'xof'].includes(currency.toLowerCase());
  return `${zeroDecimal ? amount : (amount / 100).toFixed(2)} ${currency.toUpperCase()}`;
}

/** `GET /api/monitoring/metrics`: the tenant's orders and revenue in a time range, calls per integration. */
export interface OrderMetrics {
  timeRange: { start: string; end: string };
  orders: { total: number; successful: number; failed: number; pending: number };
  revenue: { total: number; currency: string };
  integrations: Record<string, { calls: number; errors: number }>;
}

export interface IntegrationStatus {
  name: string;
  status: string;
  mode?: string;
  sandbox?: string;
  lastSuccess?: string | null;
  lastError?: string | null;
  lastErrorAt?: string | null;
  circuit?: string;
  calls?: number;
  errors?: number;
}

export interface IntegrationError {
  timestamp: string;
  level: string;
  message: string;
  service: string;
  orderId?: string | null;
  error?: string | null;
}

export interface Health {
  status: string;
  services: Record<string, { status: string; latency?: number; mode?: string }>;
}

export const TIME_RANGES = ['1h', '24h', '7d', '30d'];

export const getMetrics = async (api: ApiClient, timeRange: string, currency: string) =>
  (await api.json<Envelope<OrderMetrics>>('GET', `/api/monitoring/metrics?${new URLSearchParams({ timeRange, currency })}`)).data;

export const getIntegrations = async (api: ApiClient) =>
  (await api.json<Envelope<{ integrations: Record<string, IntegrationStatus> }>>('GET', '/api/monitoring/integrations')).data.integrations;

/** The tenant's integration failures of the last 24 h, newest first. */
export const getErrors = async (api: ApiClient, limit = 20) =>
  (await api.json<Envelope<{ errors: IntegrationError[] }>>('GET', `/api/monitoring/errors?limit=${limit}`)).data.errors;

export const getHealth = async (api: ApiClient) => (await api.json<Envelope<Health>>('GET', '/api/monitoring/health')).data;

/** The share of finished orders that were paid: "91.7 %", or "—" before any finished. */
export function successRate(orders: OrderMetrics['orders']): string {
  const finished = orders.successful + orders.failed;
  return finished === 0 ? '—' : `${((orders.successful * 100) / finished).toFixed(1)} %`;
}
