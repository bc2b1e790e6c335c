import { Badge, Button, Code, Group, Modal, Select, Stack } from '@mantine/core';
import { useEffect, useRef, useState } from 'react';
import { describe } from '../../api/errors';
import { followLogs, recentLogs, type Container, type LogEntry } from '../../api/updater';
import { Problem } from '../../components/Problem';
import { useConsole } from '../../console';

/** The newest lines kept on screen while following. */
const KEEP = 1000;

const lineText = (l: LogEntry) => [l.timestamp, l.source === 'stderr' ? 'ERR' : null, l.message].filter(Boolean).join('  ');

/**
 * A container's log: its last lines, or followed live (updater-service's Server-Sent Events,
 * read with fetch so the token stays in a header); closing the dialog ends the stream.
 */
export function ContainerLogs({ container, onClose }: { container: Container; onClose: () => void }) {
  const { api } = useConsole();
  const [lines, setLines] = useState('100');
  const [log, setLog] = useState<LogEntry[] | null>(null);
  const [following, setFollowing] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const stream = useRef<AbortController | null>(null);

  useEffect(() => {
    if (following) {
      return;
    }
    let current = true;
    recentLogs(api, container.id, Number(lines)).then(
      (entries) => current && (setLog(entries), setError(null)),
      (failure) => current && setError(describe(failure)),
    );
    return () => {
      current = false;
    };
  }, [api, container.id, lines, following]);

  useEffect(() => {
    if (!following) {
      return;
    }
    const controller = new AbortController();
    stream.current = controller;
    setLog([]);
    setError(null);
    followLogs(api, container.id, Number(lines), (line) => setLog((shown) => [...(shown ?? []), line].slice(-KEEP)), controller.signal)
      .then(() => !controller.signal.aborted && setFollowing(false))
      .catch((failure) => {
        if (!controller.signal.aborted) {
          setError(describe(failure));
          setFollowing(false);
        }
      });
    return () => controller.abort();
  }, [api, container.id, lines, following]);

  return (
    <Modal opened onClose={onClose} title={`Log of ${container.name}`} size="xl" centered>
      <Stack>
        <Group align="flex-end">
          <Select label="Lines" data={['50', '100', '500', '1000']} value={lines} onChange={(v) => v && setLines(v)} allowDeselect={false} w={100} disabled={following} />
          <Button variant={following ? 'filled' : 'default'} onClick={() => setFollowing((f) => !f)} aria-pressed={following}>
            {following ? 'Stop following' : 'Follow live'}
          </Button>
          {following && (
            <Badge variant="dot" color="green" data-testid="log-live">
              Following
            </Badge>
          )}
        </Group>
        <Problem error={error} onClose={() => setError(null)} />
        <Code block data-testid="container-log" aria-live={following ? 'polite' : undefined} style={{ maxHeight: '60vh', overflow: 'auto' }}>
          {log === null ? 'Loading…' : log.map(lineText).join('\n') || 'No log lines.'}
        </Code>
      </Stack>
    </Modal>
  );
}
