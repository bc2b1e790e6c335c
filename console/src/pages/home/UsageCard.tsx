import { Badge, Group, Progress, SimpleGrid, Stack, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import { usage, usageHistory } from '../../api/identity';
import { LiveChart, useEvery } from '../../components/LiveChart';
import { Section } from '../../components/Section';
import { useLoad } from '../../components/useLoad';
import { useConsole } from '../../console';
import { formatBytes } from '../../logic/format';
import { growthText, historyReadings, KEEP_READINGS, storageGrowth, type Reading } from '../../logic/growth';
import { quotaRows } from '../../logic/quota';

/** Usage is read again once a minute while Home is open: 60 of the tenant's hourly requests. */
export const USAGE_INTERVAL_MS = 60_000;

/** The stored history (an hourly sample) is read again every 15 minutes; a week of it is shown. */
export const HISTORY_INTERVAL_MS = 15 * 60_000;
export const HISTORY_DAYS = 7;

/**
 * Plan, quotas and what the tenant uses of them (GET /api/usage), loaded again whenever
 * `changes` moves (something on the page created or deleted what it counts) and once a minute;
 * each reading of the stored bytes joins the session's storage growth chart.
 */
export function UsageCard({ changes = 0 }: { changes?: number }) {
  const { api } = useConsole();
  const { data, error, reload } = useLoad(() => usage(api), [api, changes]);
  useEvery(() => void reload(), USAGE_INTERVAL_MS);
  const [readings, setReadings] = useState<Reading[]>([]);
  useEffect(() => {
    const stored = data?.used?.stored_bytes;
    if (data && typeof stored === 'number') {
      setReadings(storageGrowth.add(data.tenantId, { at: Date.now(), bytes: stored }));
    }
  }, [data]);
  const growth = growthText(readings);
  const history = useLoad(() => usageHistory(api, HISTORY_DAYS), [api]);
  useEvery(() => void history.reload(), HISTORY_INTERVAL_MS);
  const latest = readings[readings.length - 1] ?? null;
  const week = history.data ? historyReadings(history.data, latest) : [];
  return (
    <Section title="Plan and usage" actions={data && <Badge size="lg">{data.plan}</Badge>} error={error}>
      {data && (
        <SimpleGrid cols={{ base: 1, xs: 2, md: 3 }}>
          {quotaRows(data).map((row) => (
            <Stack gap={4} key={row.name}>
              <Group justify="space-between">
                <Text size="sm">{row.label}</Text>
                <Text size="sm" c="dimmed">
                  {row.text}
                </Text>
              </Group>
              <Progress value={row.percent} color={row.percent >= 90 ? 'red' : undefined} aria-label={`${row.label}: ${row.text}`} />
            </Stack>
          ))}
        </SimpleGrid>
      )}
      {readings.length > 0 && (
        <Stack gap={4}>
          <LiveChart
            title="Storage growth this session"
            series={[{ label: 'Stored', color: 'teal' }]}
            samples={readings.map((r) => [r.bytes])}
            keep={KEEP_READINGS}
            intervalMs={USAGE_INTERVAL_MS}
            format={formatBytes}
          />
          <Text size="xs" c="dimmed" data-testid="storage-growth">
            {growth ?? 'The chart grows with each reading while the console is open (the service keeps no history).'}
          </Text>
        </Stack>
      )}
      {history.error && (
        <Text size="xs" c="dimmed">
          No stored history: {history.error}
        </Text>
      )}
      {week.length > 0 && (
        <Stack gap={4}>
          <LiveChart
            title={`Stored data over ${HISTORY_DAYS} days`}
            series={[{ label: 'Stored', color: 'cyan' }]}
            samples={week.map((r) => [r.bytes])}
            keep={Math.max(week.length, 2)}
            intervalMs={HISTORY_INTERVAL_MS}
            point="sample"
            format={formatBytes}
          />
          <Text size="xs" c="dimmed" data-testid="storage-history">
            {growthText(week) ?? 'One sample so far: auth-service keeps one an hour.'}
          </Text>
        </Stack>
      )}
    </Section>
  );
}
