import { Badge, Group, Paper, Progress, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { Problem } from '../../components/Problem';
import { useLoad } from '../../components/useLoad';
import { useConsole } from '../../console';
import { usage } from '../../api/identity';
import { quotaRows } from '../../logic/quota';

/**
 * Plan, quotas and what the tenant uses of them (GET /api/usage), loaded again whenever
 * `changes` moves (something on the page created or deleted what it counts).
 */
export function UsageCard({ changes = 0 }: { changes?: number }) {
  const { api } = useConsole();
  const { data, error } = useLoad(() => usage(api), [api, changes]);
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="usage-title">
      <Stack>
        <Group justify="space-between">
          <Title order={3} id="usage-title">
            Plan and usage
          </Title>
          {data && <Badge size="lg">{data.plan}</Badge>}
        </Group>
        <Problem error={error} />
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
      </Stack>
    </Paper>
  );
}
