import { ActionIcon, Anchor, Badge, Button, Group, NumberInput, Select, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import {
  advanceOrder,
  cancelOrder,
  confirmPayment,
  createOrder,
  formatMinor,
  getOrder,
  getPayment,
  listOrders,
  NEXT_STATUS,
  orderTotal,
  REFUND_REASONS,
  refundOrder,
} from '../../api/commerce';
import { ConfirmButton } from '../../components/ConfirmButton';
import { DataTable } from '../../components/DataTable';
import { Section } from '../../components/Section';
import { useLoad } from '../../components/useLoad';
import { useConsole } from '../../console';
import { statusColor } from '../../logic/format';
import { OrderMonitoring } from './OrderMonitoring';

const CURRENCIES = ['usd', 'eur', 'gbp', 'jpy'];

/** One item of a new order, as typed. */
interface ItemRow {
  key: number;
  name: string;
  quantity: number | string;
  price: number | string;
}

const NEW_ROW: ItemRow = { key: 0, name: '', quantity: 1, price: '' };
/** Rows a new order can have on this form. */
const MAX_ITEMS = 20;
let nextKey = 1;

const StatusBadge = ({ status }: { status: string }) => (
  <Badge color={statusColor(status)} variant="light">
    {status.replace(/_/g, ' ')}
  </Badge>
);

/** The tenant's orders (commerce-service): create one, page through them, open one. */
export function Orders() {
  const { api } = useConsole();
  const orders = useLoad(() => listOrders(api), [api]);
  const [open, setOpen] = useState<string | null>(null);
  const [email, setEmail] = useState('');
  const [customer, setCustomer] = useState('');
  const [currency, setCurrency] = useState('usd');
  const [rows, setRows] = useState<ItemRow[]>([NEW_ROW]);
  const items = rows.map((r) => ({ name: r.name.trim(), quantity: Number(r.quantity), price: Number(r.price) }));
  const setRow = (index: number, change: Partial<ItemRow>) => setRows((all) => all.map((r, i) => (i === index ? { ...r, ...change } : r)));

  const create = async (event: FormEvent) => {
    event.preventDefault();
    const order = { customerEmail: email.trim(), customerName: customer.trim() || undefined, currency, items };
    if (await orders.act(async () => setOpen((await createOrder(api, order)).id))) {
      setRows([NEW_ROW]);
    }
  };
  // The next page is added below the ones shown; a change loads the first page again.
  const more = () =>
    orders.act(async () => {
      const current = orders.data;
      const next = await listOrders(api, current?.lastKey);
      orders.setData({ orders: [...(current?.orders ?? []), ...next.orders], lastKey: next.lastKey });
    }, { reload: false });

  return (
    <Stack gap="lg">
      <Title order={2}>Orders and payments</Title>
      <Section title="Orders" error={orders.error} onDismiss={() => orders.setError(null)}>
        <form onSubmit={create} aria-label="Create an order">
          <Group align="flex-end" wrap="wrap">
            <TextInput label="Customer e-mail" type="email" required value={email} onChange={(e) => setEmail(e.currentTarget.value)} style={{ flex: '2 1 220px' }} />
            <TextInput label="Customer name" value={customer} onChange={(e) => setCustomer(e.currentTarget.value)} style={{ flex: '1 1 160px' }} />
            <Select label="Currency" data={CURRENCIES} value={currency} onChange={(c) => c && setCurrency(c)} allowDeselect={false} w={100} />
          </Group>
          {rows.map((row, index) => {
            // The first row keeps the plain labels; the others are numbered, so each field has a name of its own.
            const n = index === 0 ? '' : ` ${index + 1}`;
            return (
              <Group key={row.key} align="flex-end" wrap="wrap" mt="xs" data-testid={`order-item-${index + 1}`}>
                <TextInput label={`Item${n}`} required value={row.name} onChange={(e) => setRow(index, { name: e.currentTarget.value })} style={{ flex: '1 1 200px' }} />
                <NumberInput label={`Quantity${n}`} required min={1} allowDecimal={false} value={row.quantity} onChange={(q) => setRow(index, { quantity: q })} w={100} />
                <NumberInput label={`Unit price${n}`} required min={0} decimalScale={2} value={row.price} onChange={(p) => setRow(index, { price: p })} w={120} />
                {rows.length > 1 && (
                  <ActionIcon variant="default" size="lg" aria-label={`Remove item ${index + 1}`} onClick={() => setRows((all) => all.filter((_, i) => i !== index))}>
                    ×
                  </ActionIcon>
                )}
              </Group>
            );
          })}
          <Group mt="xs">
            <Button variant="default" onClick={() => setRows((all) => [...all, { ...NEW_ROW, key: nextKey++ }])} disabled={rows.length >= MAX_ITEMS}>
              Add item
            </Button>
            <Button type="submit" loading={orders.busy}>
              Create order ({orderTotal(items).toFixed(currency === 'jpy' ? 0 : 2)} {currency.toUpperCase()})
            </Button>
          </Group>
        </form>
        <DataTable
          label="Orders"
          rows={orders.data?.orders}
          rowKey={(o) => o.id}
          rowTestId={(o) => `order-${o.id}`}
          empty="No orders yet."
          minWidth={560}
          columns={[
            {
              header: 'Order',
              cell: (o) => (
                <Anchor component="button" type="button" onClick={() => setOpen(o.id)} aria-label={`Order ${o.id}`}>
                  {o.id.slice(0, 8)}
                </Anchor>
              ),
            },
            { header: 'Created', cell: (o) => new Date(o.createdAt).toLocaleString() },
            { header: 'Customer', cell: (o) => o.customerName ?? '—' },
            { header: 'Total', align: 'right', cell: (o) => o.totalAmount },
            { header: 'Status', cell: (o) => <StatusBadge status={o.status} /> },
          ]}
        />
        {orders.data?.lastKey && (
          <Group>
            <Button variant="default" onClick={() => void more()} loading={orders.busy}>
              Show more
            </Button>
          </Group>
        )}
      </Section>
      {open && <OrderDetails key={open} id={open} onChanged={() => void orders.reload()} />}
      <OrderMonitoring />
    </Stack>
  );
}

/** One order with its payment at Stripe: confirm, move along, refund, cancel. */
function OrderDetails({ id, onChanged }: { id: string; onChanged: () => void }) {
  const { api } = useConsole();
  const order = useLoad(async () => {
    const found = await getOrder(api, id);
    return { order: found, payment: found.paymentIntentId ? await getPayment(api, found.paymentIntentId) : null };
  }, [api, id]);
  const [note, setNote] = useState<string | null>(null);
  const [tracking, setTracking] = useState('');
  const [refund, setRefund] = useState<number | string>('');
  const [reason, setReason] = useState('requested_by_customer');
  const o = order.data?.order;
  const payment = order.data?.payment;
  const change = async (run: () => Promise<unknown>) => {
    if (await order.act(run)) {
      onChanged();
    }
  };
  const next = o ? NEXT_STATUS[o.status] : undefined;
  const refundable = o && ['completed', 'partially_refunded'].includes(o.paymentStatus);

  return (
    <Section
      title={`Order ${id.slice(0, 8)}`}
      error={order.error}
      onDismiss={() => order.setError(null)}
      actions={
        <Button variant="default" size="xs" onClick={() => void order.reload()} loading={order.loading}>
          Refresh
        </Button>
      }
    >
      {o && (
        <>
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="xs" data-testid="order-details">
            <Text size="sm">Customer: {[o.customerName, o.customerEmail].filter(Boolean).join(', ')}</Text>
            <Text size="sm">
              Total: {o.totalAmount} {o.currency.toUpperCase()}
              {o.refundedAmount ? `, ${o.refundedAmount} refunded` : ''}
            </Text>
            <Group gap="xs">
              <Text size="sm">Status:</Text> <StatusBadge status={o.status} />
            </Group>
            <Group gap="xs">
              <Text size="sm">Payment:</Text> <StatusBadge status={o.paymentStatus} />
            </Group>
            {payment && (
              <Text size="sm">
                Stripe: {payment.id}, {payment.status}, {formatMinor(payment.amount, payment.currency)}
              </Text>
            )}
            {o.trackingNumber && <Text size="sm">Tracking: {o.trackingNumber}</Text>}
          </SimpleGrid>
          <DataTable
            label={`Items of order ${id.slice(0, 8)}`}
            rows={o.items}
            rowKey={(i) => i.id ?? i.name}
            empty="No items."
            columns={[
              { header: 'Item', cell: (i) => i.name },
              { header: 'Quantity', align: 'right', cell: (i) => i.quantity },
              { header: 'Unit price', align: 'right', cell: (i) => i.price },
            ]}
          />
          {note && (
            <Text size="sm" role="status">
              {note}
            </Text>
          )}
          <Group align="flex-end" wrap="wrap">
            {o.status === 'pending' && o.paymentIntentId && (
              <Button
                onClick={() =>
                  void change(async () => {
                    const status = await confirmPayment(api, o);
                    setNote(`Stripe answered “${status}”. The order is marked paid when Stripe's webhook arrives; refresh to see it.`);
                  })
                }
              >
                Confirm payment (test card)
              </Button>
            )}
            {next && (
              <>
                {next === 'shipped' && <TextInput label="Tracking number" value={tracking} onChange={(e) => setTracking(e.currentTarget.value)} />}
                <Button variant="default" onClick={() => void change(() => advanceOrder(api, o.id, next, tracking.trim() || undefined))}>
                  Mark {next}
                </Button>
              </>
            )}
            {refundable && (
              <>
                <NumberInput label="Refund amount" description="Empty: what is left" min={0} decimalScale={2} value={refund} onChange={setRefund} w={150} />
                <Select label="Reason" data={REFUND_REASONS} value={reason} onChange={(r) => r && setReason(r)} allowDeselect={false} w={210} />
                <ConfirmButton
                  color="orange"
                  title="Refund this order?"
                  message={`${refund === '' ? 'Everything not yet refunded' : `${refund} ${o.currency.toUpperCase()}`} goes back to the customer's card. This cannot be undone.`}
                  confirmLabel="Refund"
                  onConfirm={() => change(() => refundOrder(api, o.id, refund === '' ? null : Number(refund), reason))}
                >
                  Refund
                </ConfirmButton>
              </>
            )}
            {!['cancelled', 'refunded', 'failed'].includes(o.status) && (
              <ConfirmButton
                title="Cancel this order?"
                message="An unpaid payment is cancelled at Stripe; a paid one is refunded in full. This cannot be undone."
                confirmLabel="Cancel order"
                onConfirm={() => change(() => cancelOrder(api, o.id))}
              >
                Cancel order
              </ConfirmButton>
            )}
          </Group>
        </>
      )}
    </Section>
  );
}
