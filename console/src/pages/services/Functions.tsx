import { Anchor, Badge, Button, Code, FileInput, Group, NumberInput, SegmentedControl, Select, SimpleGrid, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { useEffect, useState, type FormEvent } from 'react';
import {
  base64Of,
  deleteFunction,
  deployFunction,
  eventInvocation,
  everyWindow,
  getMetrics,
  invokeEvent,
  invokeFunction,
  listFunctions,
  parsePayload,
  qualifiers,
  RUNTIMES,
  settled,
  updateCode,
  type EventInvocation,
  type Invocation,
} from '../../api/functions';
import type { Instance } from '../../api/identity';
import { serviceBase } from '../../api/service';
import { ConfirmButton } from '../../components/ConfirmButton';
import { DataTable } from '../../components/DataTable';
import { Section } from '../../components/Section';
import { LiveChart, useEvery } from '../../components/LiveChart';
import { useActions, useLoad } from '../../components/useLoad';
import { useConsole } from '../../console';
import { describe } from '../../api/errors';
import { formatBytes } from '../../logic/format';
import { FunctionVersions, usePublished } from './FunctionVersions';

/** A function instance: deploy from a zip, list, invoke with a payload (result and log), delete. */
export function Functions({ instance }: { instance: Instance }) {
  const { api } = useConsole();
  const base = serviceBase('function', instance);
  const functions = useLoad(() => listFunctions(api, base), [api, base]);
  const [open, setOpen] = useState<string | null>(null);
  const remove = async (name: string) => {
    if ((await functions.act(() => deleteFunction(api, base, name))) && open === name) {
      setOpen(null);
    }
  };
  return (
    <>
      <Section title={`Functions of ${instance.serviceName}`} error={functions.error} onDismiss={() => functions.setError(null)}>
        <DeployForm
          busy={functions.busy}
          onDeploy={(deploy) => functions.act(() => deploy(base))}
          existing={(functions.data ?? []).map((f) => f.functionName)}
        />
        <DataTable
          label="Functions"
          rows={functions.data}
          rowKey={(f) => f.functionName}
          rowTestId={(f) => `function-${f.functionName}`}
          empty="No functions yet."
          columns={[
            {
              header: 'Name',
              cell: (f) => (
                <Anchor component="button" type="button" onClick={() => setOpen(f.functionName)}>
                  {f.functionName}
                </Anchor>
              ),
            },
            { header: 'Runtime', cell: (f) => f.effectiveRuntime ?? f.runtime },
            { header: 'Handler', cell: (f) => <Code>{f.handler}</Code> },
            { header: 'Code', cell: (f) => formatBytes(f.codeSize) },
            { header: 'Limits', cell: (f) => `${f.memorySize} MB, ${f.timeout} s` },
            {
              header: 'Actions',
              hideHeader: true,
              align: 'right',
              cell: (f) => (
                <ConfirmButton
                  ariaLabel={`Delete function ${f.functionName}`}
                  title={`Delete function ${f.functionName}?`}
                  message="The function, its versions, aliases, queued invocations and metrics are deleted. This cannot be undone."
                  confirmLabel="Delete function"
                  onConfirm={() => remove(f.functionName)}
                >
                  Delete
                </ConfirmButton>
              ),
            },
          ]}
        />
      </Section>
      {open && <OpenFunction key={open} base={base} name={open} />}
    </>
  );
}

/** One function: invoke it (a version or alias, synchronously or as an Event), its versions, its metrics. */
function OpenFunction({ base, name }: { base: string; name: string }) {
  const published = usePublished(base, name);
  const choices = published.data ? qualifiers(published.data.versions, published.data.aliases) : [{ value: '$LATEST', label: '$LATEST' }];
  return (
    <>
      <Invoke base={base} name={name} qualifiers={choices} />
      <FunctionVersions base={base} name={name} published={published} />
      <Metrics base={base} name={name} />
    </>
  );
}

/**
 * A new function from a zip, or new code for one that exists (same name): the console reads the
 * file in the browser and sends it as Base64, as the seed's API takes it.
 */
function DeployForm({
  busy,
  existing,
  onDeploy,
}: {
  busy: boolean;
  existing: string[];
  onDeploy: (deploy: (base: string) => Promise<unknown>) => Promise<boolean>;
}) {
  const { api } = useConsole();
  const [name, setName] = useState('');
  const [runtime, setRuntime] = useState(RUNTIMES[0].value);
  const [handler, setHandler] = useState(RUNTIMES[0].handler);
  const [memory, setMemory] = useState<number | string>(128);
  const [timeout, setTimeoutSeconds] = useState<number | string>(3);
  const [zip, setZip] = useState<File | null>(null);
  const replacing = existing.includes(name.trim());

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!zip) {
      return;
    }
    const functionName = name.trim();
    const ok = await onDeploy(async (base) => {
      const code = await base64Of(zip);
      return replacing
        ? updateCode(api, base, functionName, code)
        : deployFunction(api, base, {
            functionName,
            runtime,
            handler: handler.trim(),
            memorySize: Number(memory),
            timeout: Number(timeout),
            code,
          });
    });
    if (ok) {
      setName('');
      setZip(null);
    }
  };
  return (
    <form onSubmit={submit} aria-label="Deploy a function">
      <Group align="flex-end" wrap="wrap">
        <TextInput
          label="Function name"
          description={replacing ? 'Exists: its code is replaced, its settings stay' : 'A new function'}
          required
          value={name}
          onChange={(e) => setName(e.currentTarget.value)}
          w={200}
        />
        <Select
          label="Runtime"
          data={RUNTIMES.map((r) => ({ value: r.value, label: r.label }))}
          value={runtime}
          disabled={replacing}
          onChange={(v) => {
            const next = RUNTIMES.find((r) => r.value === v) ?? RUNTIMES[0];
            setRuntime(next.value);
            setHandler(next.handler);
          }}
          allowDeselect={false}
          w={150}
        />
        <TextInput label="Handler" required value={handler} disabled={replacing} onChange={(e) => setHandler(e.currentTarget.value)} w={240} />
        <NumberInput label="Memory (MB)" min={128} max={10240} value={memory} disabled={replacing} onChange={setMemory} w={120} />
        <NumberInput label="Timeout (s)" min={1} max={900} value={timeout} disabled={replacing} onChange={setTimeoutSeconds} w={110} />
        <FileInput label="Code (.zip)" required accept=".zip,application/zip" value={zip} onChange={setZip} w={220} clearable />
        <Button type="submit" loading={busy} disabled={!zip}>
          {replacing ? 'Update code' : 'Deploy'}
        </Button>
      </Group>
    </form>
  );
}

type InvocationType = 'RequestResponse' | 'Event';

/**
 * Invoke with a payload, $LATEST or a version or alias: synchronously (the result or the
 * function's error, timings, the log's tail) or as an Event (queued; its progress followed).
 */
function Invoke({ base, name, qualifiers }: { base: string; name: string; qualifiers: { value: string; label: string }[] }) {
  const { api } = useConsole();
  const actions = useActions();
  const [payload, setPayload] = useState('{}');
  const [qualifier, setQualifier] = useState('$LATEST');
  const [type, setType] = useState<InvocationType>('RequestResponse');
  const [result, setResult] = useState<Invocation | null>(null);
  const [queued, setQueued] = useState<EventInvocation | null>(null);
  const invoke = (event: FormEvent) => {
    event.preventDefault();
    void actions.act(
      async () => {
        setResult(null);
        setQueued(null);
        const body = parsePayload(payload);
        if (type === 'Event') {
          setQueued(await invokeEvent(api, base, name, body, qualifier));
        } else {
          setResult(await invokeFunction(api, base, name, body, qualifier));
        }
      },
      { reload: false },
    );
  };
  return (
    <Section title={`Invoke ${name}`} error={actions.error} onDismiss={() => actions.setError(null)}>
      <form onSubmit={invoke} aria-label={`Invoke ${name}`}>
        <Stack gap="xs">
          <Textarea
            label="Payload (JSON)"
            minRows={3}
            value={payload}
            onChange={(e) => setPayload(e.currentTarget.value)}
            styles={{ input: { fontFamily: 'monospace' } }}
          />
          <Group align="flex-end" wrap="wrap">
            <Select
              label="Version or alias"
              data={qualifiers}
              value={qualifiers.some((q) => q.value === qualifier) ? qualifier : '$LATEST'}
              onChange={(v) => setQualifier(v ?? '$LATEST')}
              allowDeselect={false}
              w={200}
            />
            <SegmentedControl
              aria-label="Invocation type"
              value={type}
              onChange={(v) => setType(v as InvocationType)}
              data={[
                { value: 'RequestResponse', label: 'Wait for the result' },
                { value: 'Event', label: 'Event (asynchronous)' },
              ]}
            />
            <Button type="submit" loading={actions.busy}>
              Invoke
            </Button>
          </Group>
        </Stack>
      </form>
      {queued && <QueuedInvocation key={queued.requestId} base={base} name={name} first={queued} />}
      {result && (
        <Stack gap="xs" data-testid="invocation">
          <Group gap="xs">
            <Badge color={result.functionError ? 'red' : 'green'} variant="light">
              {result.functionError ? `Error: ${result.functionError}` : 'Succeeded'}
            </Badge>
            <Text size="sm" c="dimmed">
              {result.durationMs.toFixed(1)} ms{result.coldStart ? ', cold start' : ''}
              {result.maxMemoryUsedMb ? `, ${result.maxMemoryUsedMb} MB used` : ''}
            </Text>
          </Group>
          <Text size="sm" fw={600}>
            Result
          </Text>
          <Code block>{JSON.stringify(result.payload, null, 2)}</Code>
          {result.logResult && (
            <>
              <Text size="sm" fw={600}>
                Log
              </Text>
              <Code block>{result.logResult}</Code>
            </>
          )}
        </Stack>
      )}
    </Section>
  );
}

/** How often a queued Event invocation is read again, and for how long at most. */
const EVENT_EVERY_MS = 1_000;
const EVENT_FOLLOW_MS = 120_000;
const EVENT_COLORS: Record<string, string> = { succeeded: 'green', dead_lettered: 'red' };

/** An Event invocation: its request id, then its status read again until it succeeded or was dead-lettered. */
function QueuedInvocation({ base, name, first }: { base: string; name: string; first: EventInvocation }) {
  const { api } = useConsole();
  const [invocation, setInvocation] = useState(first);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let stopped = false;
    const until = Date.now() + EVENT_FOLLOW_MS;
    void (async () => {
      let now = first;
      while (!stopped && !settled(now) && Date.now() < until) {
        await new Promise((resolve) => setTimeout(resolve, EVENT_EVERY_MS));
        if (stopped) {
          return;
        }
        try {
          now = await eventInvocation(api, base, name, first.requestId);
          setInvocation(now);
        } catch (failure) {
          setError(describe(failure));
          return;
        }
      }
    })();
    return () => {
      stopped = true;
    };
  }, [api, base, name, first]);
  return (
    <Stack gap="xs" data-testid="event-invocation">
      <Group gap="xs">
        <Badge variant="light" color={EVENT_COLORS[invocation.status] ?? 'yellow'}>
          {invocation.status}
        </Badge>
        <Text size="sm" c="dimmed">
          Request {invocation.requestId}
          {invocation.attempts ? `, ${invocation.attempts} attempt${invocation.attempts === 1 ? '' : 's'}` : ''}
        </Text>
      </Group>
      {error && (
        <Text size="sm" c="red">
          {error}
        </Text>
      )}
      {invocation.errorType && (
        <Text size="sm" c="red">
          {invocation.errorType}: {invocation.errorMessage}
        </Text>
      )}
      {invocation.result !== undefined && invocation.result !== null && <Code block>{JSON.stringify(invocation.result, null, 2)}</Code>}
    </Stack>
  );
}

const METRICS_MINUTES = 60;
const METRICS_EVERY_MS = 60_000;

/** The last hour of a function, a window a minute, read again every minute. */
function Metrics({ base, name }: { base: string; name: string }) {
  const { api } = useConsole();
  const metrics = useLoad(() => getMetrics(api, base, name, METRICS_MINUTES), [api, base, name]);
  useEvery(() => void metrics.reload(), METRICS_EVERY_MS);
  const m = metrics.data;
  const windows = m ? everyWindow(m) : [];
  return (
    <Section title={`Metrics of ${name}`} error={metrics.error} onDismiss={() => metrics.setError(null)}>
      {m && (
        <Text size="sm" role="status">
          Last hour: {m.invocations} invocations, {m.errors} errors, {m.throttles} throttled, {m.coldStarts} cold starts
          {m.p50DurationMs != null ? `, p50 ${Math.round(m.p50DurationMs)} ms` : ''}
          {m.p95DurationMs != null ? `, p95 ${Math.round(m.p95DurationMs)} ms` : ''}
          {m.maxDurationMs != null ? `, max ${Math.round(m.maxDurationMs)} ms` : ''}
        </Text>
      )}
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <LiveChart
          title="Invocations and errors"
          series={[
            { label: 'invocations', color: 'blue' },
            { label: 'errors', color: 'red' },
          ]}
          samples={windows.map((w) => [w.invocations, w.errors])}
          keep={METRICS_MINUTES}
          intervalMs={METRICS_EVERY_MS}
          point="minute"
        />
        <LiveChart
          title="Duration (ms)"
          series={[
            { label: 'p50', color: 'teal' },
            { label: 'p95', color: 'orange' },
            { label: 'max', color: 'red' },
          ]}
          samples={windows.map((w) => [Math.round(w.p50DurationMs ?? 0), Math.round(w.p95DurationMs ?? 0), Math.round(w.maxDurationMs ?? 0)])}
          keep={METRICS_MINUTES}
          intervalMs={METRICS_EVERY_MS}
          point="minute"
        />
      </SimpleGrid>
    </Section>
  );
}
