import { Badge, Group, Progress, SimpleGrid, Stack, Text } from '@mantine/core';
import { usage } from '../../api/identity';
import { Section } from '../../components/Section';
import { useLoad } from '../../components/useLoad';
import { useConsole } from '../../console';
import { quotaRows } from '../../logic/quota';

/**
 * Plan, quotas and what the tenant uses of them (GET /api/usage), loaded again whenever
 * `changes` moves (something on the page created or deleted what it counts).
 */
export function UsageCard({ changes = 0 }: { changes?: number }) {
  const { api } = useConsole();
  const { data, error } = useLoad(() => usage(api), [api, changes]);
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
    </Section>
  );
}
