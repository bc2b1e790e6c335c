import { SimpleGrid, Text } from '@mantine/core';
import { getInstanceTraffic } from '../api/metrics';
import { useConsole } from '../console';
import { describeTraffic, summarize, trafficSamples } from '../logic/traffic';
import { LiveChart, useEvery } from './LiveChart';
import { Section } from './Section';
import { useLoad } from './useLoad';

const MINUTES = 60;
const EVERY_MS = 60_000;

/**
 * An instance's last hour through the gateway, a minute at a time: request rate, errors (4xx and
 * 5xx) and latency (p50, p95, p99), read again every minute (one request of the tenant's budget).
 */
export function InstanceTrafficCharts({ instanceId, name }: { instanceId: string; name: string }) {
  const { api } = useConsole();
  const traffic = useLoad(() => getInstanceTraffic(api, instanceId, MINUTES), [api, instanceId]);
  useEvery(() => void traffic.reload(), EVERY_MS);
  const points = traffic.data?.points ?? [];
  const samples = trafficSamples(points);
  return (
    <Section title={`Traffic of ${name}`} error={traffic.error} onDismiss={() => traffic.setError(null)}>
      {traffic.data && (
        <Text size="sm" role="status">
          {describeTraffic(summarize(points))}
        </Text>
      )}
      <SimpleGrid cols={{ base: 1, md: 3 }}>
        <LiveChart
          title="Requests a minute"
          series={[{ label: 'requests', color: 'blue' }]}
          samples={samples.requests}
          keep={MINUTES}
          intervalMs={EVERY_MS}
          point="minute"
        />
        <LiveChart
          title="Errors a minute"
          series={[
            { label: '4xx', color: 'yellow' },
            { label: '5xx', color: 'red' },
          ]}
          samples={samples.errors}
          keep={MINUTES}
          intervalMs={EVERY_MS}
          point="minute"
        />
        <LiveChart
          title="Latency (ms)"
          series={[
            { label: 'p50', color: 'teal' },
            { label: 'p95', color: 'grape' },
            { label: 'p99', color: 'orange' },
          ]}
          samples={samples.latency}
          keep={MINUTES}
          intervalMs={EVERY_MS}
          point="minute"
        />
      </SimpleGrid>
    </Section>
  );
}
