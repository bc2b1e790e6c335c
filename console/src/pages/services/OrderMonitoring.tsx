import { Badge, Button, Group, Select, SimpleGrid, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { getErrors, getHealth, getIntegrations, getMetrics, successRate, TIME_RANGES } from '../../api/commerce';
import { DataTable } from '../../components/DataTable';
import { Section } from '../../components/Section';
import { useLoad } from '../../components/useLoad';
import { useConsole } from '../../console';
import { statusColor } from '../../logic/format';

const CURRENCIES = ['usd', 'eur', 'gbp', 'jpy'];

const when = (iso?: string | null) => (iso ? new Date(iso).toLocaleString() : '—');

function Figure({ label, value }: { label: string; value: string | number }) {
  return (
    <Stack gap={0}>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text fw={600}>{value}</Text>
    </Stack>
  );
}

/**
 * Seed 004's monitoring views for the tenant (commerce-service `/api/monitoring/*`): order
 * statistics and revenue over a time range, the integrations' state and the last day's failures.
 * Read when opened and on Refresh (each reading is four requests of the hourly budget).
 */
export function OrderMonitoring() {
  const { api } = useConsole();
  const [range, setRange] = useState('24h');
  const [currency, setCurrency] = useState('usd');
  const view = useLoad(async () => {
    const [metrics, integrations, errors, health] = await Promise.all([getMetrics(api, range, currency), getIntegrations(api), getErrors(api), getHealth(api)]);
    return { metrics, integrations: Object.entries(integrations).map(([key, i]) => ({ key, ...i })), errors, health };
  }, [api, range, currency]);
  const m = view.data?.metrics;

  return (
    <Section
      title="Monitoring"
      error={view.error}
      onDismiss={() => view.setError(null)}
      actions={
        <>
          {view.data && (
            <Badge color={statusColor(view.data.health.status === 'healthy' ? 'running' : 'failed')} variant="light" data-testid="commerce-health">
              {view.data.health.status}
            </Badge>
          )}
          <Button variant="default" size="xs" onClick={() => void view.reload()} loading={view.loading}>
            Refresh
          </Button>
        </>
      }
    >
      <Group align="flex-end">
        <Select label="Time range" data={TIME_RANGES} value={range} onChange={(r) => r && setRange(r)} allowDeselect={false} w={110} />
        <Select label="Revenue currency" data={CURRENCIES} value={currency} onChange={(c) => c && setCurrency(c)} allowDeselect={false} w={140} />
      </Group>
      {m && (
        <SimpleGrid cols={{ base: 2, sm: 3, md: 6 }} data-testid="order-metrics" aria-label={`Orders in the last ${range}`}>
          <Figure label="Orders" value={m.orders.total} />
          <Figure label="Paid" value={m.orders.successful} />
          <Figure label="Failed" value={m.orders.failed} />
          <Figure label="Pending" value={m.orders.pending} />
          <Figure label="Paid of finished" value={successRate(m.orders)} />
          <Figure label="Revenue (captured − refunded)" value={`${m.revenue.total} ${m.revenue.currency.toUpperCase()}`} />
        </SimpleGrid>
      )}
      <DataTable
        label="Integrations"
        rows={view.data?.integrations}
        rowKey={(i) => i.key}
        rowTestId={(i) => `integration-${i.key}`}
        empty="No integrations."
        minWidth={720}
        columns={[
          { header: 'Integration', cell: (i) => i.name },
          { header: 'Mode', cell: (i) => i.mode ?? '—' },
          {
            header: 'Status',
            cell: (i) => (
              <Badge color={statusColor(i.status === 'operational' ? 'running' : i.status)} variant="light">
                {i.status}
              </Badge>
            ),
          },
          { header: 'Circuit', cell: (i) => (i.circuit ?? '—').replace(/_/g, ' ') },
          { header: 'Calls / errors', align: 'right', cell: (i) => `${i.calls ?? 0} / ${i.errors ?? 0}` },
          { header: 'Last success', cell: (i) => when(i.lastSuccess) },
          { header: 'Last error', cell: (i) => (i.lastError ? `${i.lastError} (${when(i.lastErrorAt)})` : '—') },
        ]}
      />
      <DataTable
        label="Integration failures, last 24 h"
        rows={view.data?.errors}
        rowKey={(e) => `${e.timestamp}-${e.service}-${e.orderId ?? ''}-${e.message}`}
        empty="No integration failures in the last 24 h."
        columns={[
          { header: 'Time', cell: (e) => when(e.timestamp) },
          { header: 'Integration', cell: (e) => e.service },
          { header: 'What failed', cell: (e) => [e.message, e.error].filter(Boolean).join(': ') },
          { header: 'Order', cell: (e) => e.orderId?.slice(0, 8) ?? '—' },
        ]}
      />
    </Section>
  );
}
