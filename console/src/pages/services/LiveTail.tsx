import { Button, Code, Group, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import { describe } from '../../api/errors';
import { consume, deleteConsumerGroup, type KafkaRecord } from '../../api/kafka';
import { DataTable } from '../../components/DataTable';
import { Problem } from '../../components/Problem';
import { useConsole } from '../../console';

/** How many of the newest records the tail keeps on screen. */
const KEEP = 200;
/** Long-poll wait per call: the server answers as soon as records arrive. */
const WAIT_MS = 10_000;
/** A pause after an empty or failed answer, so a server that answers at once is not hammered. */
const GAP_MS = 1_000;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Follows a topic live: one long-polling read after another as a consumer group of its own
 * (`console-tail-…`, starting at the end), newest records first. Stopping, or leaving the page,
 * ends the loop and then deletes the group: only once the read in flight is over, so that read's
 * commit cannot bring the group back.
 */
export function LiveTail({ base, topic }: { base: string; topic: string }) {
  const { api } = useConsole();
  const [following, setFollowing] = useState(false);
  const [records, setRecords] = useState<KafkaRecord[]>([]);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!following) {
      return;
    }
    let stopped = false;
    const group = `console-tail-${crypto.randomUUID().slice(0, 8)}`;
    const loop = (async () => {
      while (!stopped) {
        try {
          const got = await consume(api, base, topic, { group, from: 'latest', max: 100, timeoutMs: WAIT_MS });
          if (stopped) {
            return;
          }
          if (got.length > 0) {
            setRecords((shown) => [...[...got].reverse(), ...shown].slice(0, KEEP));
          } else {
            await pause(GAP_MS);
          }
        } catch (failure) {
          if (!stopped) {
            setError(describe(failure));
            setFollowing(false);
          }
          return;
        }
      }
    })();
    return () => {
      stopped = true;
      // Best effort: the page may be gone, and a group that never committed is already absent (404).
      void loop.then(() => deleteConsumerGroup(api, base, group)).catch(() => {});
    };
  }, [following, api, base, topic]);

  return (
    <>
      <Group>
        <Button
          variant={following ? 'filled' : 'default'}
          onClick={() => {
            setError(null);
            setFollowing(!following);
          }}
        >
          {following ? 'Stop following' : 'Follow live'}
        </Button>
        {following && (
          <Text size="sm" c="dimmed" role="status">
            Following {topic}: new records appear here as they arrive.
          </Text>
        )}
      </Group>
      <Problem error={error} onClose={() => setError(null)} />
      {(following || records.length > 0) && (
        <DataTable
          label={`Live records of ${topic}`}
          rows={records}
          rowKey={(r) => `${r.partition}-${r.offset}`}
          empty="Nothing new yet."
          columns={[
            { header: 'Time', cell: (r) => new Date(r.timestamp).toLocaleTimeString() },
            { header: 'Partition', cell: (r) => r.partition },
            { header: 'Offset', cell: (r) => r.offset },
            { header: 'Key', cell: (r) => r.key ?? '—' },
            { header: 'Value', cell: (r) => <Code block>{r.value ?? ''}</Code> },
          ]}
        />
      )}
    </>
  );
}
