import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { base64Of, everyWindow } from '../../api/functions';
import { BASE, fakeGateway, instance, json, renderPage, setUpDom } from '../../testing/harness';
import { Functions } from './Functions';

setUpDom();
const F = BASE('function');
const existing = { functionName: 'hello', runtime: 'python3.9', effectiveRuntime: 'python3.11', handler: 'lambda_function.lambda_handler', codeSize: 300, timeout: 3, memorySize: 128 };

function functionService() {
  const functions = [existing];
  const versions = [{ ...existing, version: '$LATEST', codeSha256: 'abcdefabcdefabcdef' }];
  const aliases: Record<string, string> = {};
  let polls = 0;
  return fakeGateway({
    [`GET ${F}/functions/hello/versions`]: () => versions,
    [`POST ${F}/functions/hello/versions`]: ({ body }) => {
      const version = { ...existing, version: String(versions.length), description: (body as { description?: string }).description, codeSha256: 'abcdefabcdefabcdef' };
      versions.push(version);
      return json(version, 201);
    },
    [`GET ${F}/functions/hello/aliases`]: () => aliases,
    [`POST ${F}/functions/hello/aliases`]: ({ body }) => {
      const b = body as { name: string; functionVersion: string };
      aliases[b.name] = b.functionVersion;
      return json(b, 201);
    },
    // Queued, then (the second time it is read) succeeded.
    [`GET ${F}/functions/hello/invocations/e1`]: () =>
      polls++ === 0 ? { requestId: 'e1', status: 'queued', attempts: 0 } : { requestId: 'e1', status: 'succeeded', attempts: 1, result: { done: true } },
    [`GET ${F}/functions`]: () => ({ functions, count: functions.length }),
    [`POST ${F}/functions`]: ({ body }) => {
      const b = body as typeof existing;
      functions.push({ ...b, codeSize: 3 });
      return json(b, 201);
    },
    [`PUT ${F}/functions/hello/code`]: () => existing,
    [`POST ${F}/functions/hello/invoke`]: ({ body, query }) =>
      query.get('invocationType') === 'Event' ? json({ requestId: 'e1', status: 'queued' }, 202) : ({
      requestId: 'r1',
      statusCode: 200,
      payload: { echoed: (body as { payload: unknown }).payload },
      durationMs: 12.34,
      coldStart: true,
      logResult: 'START RequestId: r1\nhi\nEND RequestId: r1',
    }),
    // Only the windows that had invocations, as function-service answers.
    [`GET ${F}/functions/hello/invocations`]: ({ query }) => {
      const start = Date.parse(query.get('startTime') ?? '');
      return {
        startTime: query.get('startTime'),
        endTime: query.get('endTime'),
        periodSeconds: 60,
        invocations: 7,
        errors: 2,
        throttles: 0,
        coldStarts: 1,
        p95DurationMs: 41.6,
        datapoints: [
          { timestamp: new Date(start + 5 * 60_000).toISOString(), invocations: 3, errors: 0, throttles: 0, coldStarts: 1, p95DurationMs: 30 },
          { timestamp: new Date(start + 59 * 60_000).toISOString(), invocations: 4, errors: 2, throttles: 0, coldStarts: 0, p95DurationMs: 41.6 },
        ],
      };
    },
  });
}

function chooseZip(bytes: number[]) {
  const input = document.querySelector('input[type=file]') as HTMLInputElement;
  fireEvent.change(input, { target: { files: [new File([new Uint8Array(bytes)], 'fn.zip', { type: 'application/zip' })] } });
}

describe('Functions', () => {
  it('fills the quiet minutes of the metrics with zeros', () => {
    const windows = everyWindow({
      startTime: '2026-12-07T04:00:00Z',
      endTime: '2026-12-07T04:03:00Z',
      periodSeconds: 60,
      invocations: 2,
      errors: 0,
      throttles: 0,
      coldStarts: 0,
      datapoints: [{ timestamp: '2026-12-07T04:01:00Z', invocations: 2, errors: 0, throttles: 0, coldStarts: 0 }],
    });
    expect(windows.map((w) => w.invocations)).toEqual([0, 2, 0]);
    expect(windows[2].timestamp).toBe('2026-12-07T04:02:00.000Z');
  });

  it('charts the last hour of an open function, a window a minute', async () => {
    const gateway = functionService();
    renderPage(<Functions instance={instance('Function')} />, gateway.api);
    fireEvent.click(await screen.findByRole('button', { name: 'hello' }));
    expect((await screen.findByText(/^Last hour:/)).textContent).toBe('Last hour: 7 invocations, 2 errors, 0 throttled, 1 cold starts, p95 42 ms');
    const calls = screen.getByRole('img', { name: /^Invocations and errors/ });
    expect(calls.getAttribute('aria-label')).toBe('Invocations and errors: invocations 4, errors 2 now; peak 4 in the last 60 minutes');
    const query = gateway.sent('GET', `${F}/functions/hello/invocations`)[0].query;
    expect(Date.parse(query.get('endTime')!) - Date.parse(query.get('startTime')!)).toBe(3_600_000);
    expect(query.get('period')).toBe('60');
  });

  it('reads a file as Base64', async () => {
    expect(await base64Of(new Blob([new Uint8Array([0, 1, 2, 250, 255])]))).toBe('AAEC+v8=');
  });

  it('deploys a new function from a zip with its runtime and handler', async () => {
    const gateway = functionService();
    renderPage(<Functions instance={instance('Function')} />, gateway.api);
    await screen.findByTestId('function-hello');
    fireEvent.change(screen.getByLabelText(/Function name/), { target: { value: 'adder' } });
    chooseZip([80, 75, 3, 4]);
    fireEvent.click(await screen.findByRole('button', { name: 'Deploy' }));
    await screen.findByTestId('function-adder');
    expect(gateway.sent('POST', `${F}/functions`)[0].body).toEqual({
      functionName: 'adder',
      runtime: 'python3.11',
      handler: 'lambda_function.lambda_handler',
      memorySize: 128,
      timeout: 3,
      code: 'UEsDBA==',
    });
  });

  it('replaces the code of a function that exists', async () => {
    const gateway = functionService();
    renderPage(<Functions instance={instance('Function')} />, gateway.api);
    await screen.findByTestId('function-hello');
    fireEvent.change(screen.getByLabelText(/Function name/), { target: { value: 'hello' } });
    chooseZip([80, 75, 3, 4]);
    fireEvent.click(await screen.findByRole('button', { name: 'Update code' }));
    await waitFor(() => expect(gateway.sent('PUT', `${F}/functions/hello/code`)).toHaveLength(1));
    expect(gateway.sent('PUT', `${F}/functions/hello/code`)[0].body).toEqual({ zipFile: 'UEsDBA==' });
    expect(gateway.sent('POST', `${F}/functions`)).toHaveLength(0);
  });

  it('invokes with a payload and shows the result and the log', async () => {
    const gateway = functionService();
    renderPage(<Functions instance={instance('Function')} />, gateway.api);
    fireEvent.click(await screen.findByRole('button', { name: 'hello' }));
    fireEvent.change(await screen.findByLabelText('Payload (JSON)'), { target: { value: '{"n": 2}' } });
    fireEvent.click(screen.getByRole('button', { name: 'Invoke' }));
    const shown = await screen.findByTestId('invocation');
    expect(shown.textContent).toContain('"echoed"');
    expect(shown.textContent).toContain('12.3 ms, cold start');
    expect(shown.textContent).toContain('START RequestId: r1');
    expect(gateway.sent('POST', `${F}/functions/hello/invoke`)[0].query.get('invocationType')).toBe('RequestResponse');
    expect(gateway.sent('POST', `${F}/functions/hello/invoke`)[0].body).toEqual({ payload: { n: 2 } });
  });

  it('says so when the payload is not JSON', async () => {
    const gateway = functionService();
    renderPage(<Functions instance={instance('Function')} />, gateway.api);
    fireEvent.click(await screen.findByRole('button', { name: 'hello' }));
    fireEvent.change(await screen.findByLabelText('Payload (JSON)'), { target: { value: '{n: 2}' } });
    fireEvent.click(screen.getByRole('button', { name: 'Invoke' }));
    expect((await screen.findByRole('alert')).textContent).toContain('not valid JSON');
    expect(gateway.sent('POST', `${F}/functions/hello/invoke`)).toHaveLength(0);
  });

  it('publishes a version, points an alias at it, and invokes through the alias', async () => {
    const gateway = functionService();
    renderPage(<Functions instance={instance('Function')} />, gateway.api);
    fireEvent.click(await screen.findByRole('button', { name: 'hello' }));
    expect((await screen.findByTestId('version-$LATEST')).textContent).toContain('abcdefabcdef…');
    fireEvent.change(screen.getByLabelText('Version description'), { target: { value: 'first' } });
    fireEvent.click(screen.getByRole('button', { name: 'Publish version' }));
    expect((await screen.findByTestId('version-1')).textContent).toContain('first');
    expect(gateway.sent('POST', `${F}/functions/hello/versions`)[0].body).toEqual({ description: 'first' });

    fireEvent.change(screen.getByLabelText(/^Alias(?! description)/), { target: { value: 'live' } });
    fireEvent.click(screen.getByRole('combobox', { name: /Points at/ }));
    fireEvent.click(await screen.findByRole('option', { name: '1', hidden: true }));
    fireEvent.click(screen.getByRole('button', { name: 'Create alias' }));
    expect((await screen.findByTestId('alias-live')).textContent).toContain('1');
    expect(screen.getByTestId('version-1').textContent).toContain('live');
    expect(gateway.sent('POST', `${F}/functions/hello/aliases`)[0].body).toEqual({ name: 'live', functionVersion: '1' });

    // Moving it: the form says so
    fireEvent.click(screen.getByRole('button', { name: 'Move alias live' }));
    expect(screen.getByRole('button', { name: 'Move alias' })).toBeTruthy();

    fireEvent.click(screen.getByRole('combobox', { name: 'Version or alias' }));
    fireEvent.click(await screen.findByRole('option', { name: 'live → 1', hidden: true }));
    fireEvent.click(screen.getByRole('button', { name: 'Invoke' }));
    await screen.findByTestId('invocation');
    expect(gateway.sent('POST', `${F}/functions/hello/invoke`)[0].query.get('qualifier')).toBe('live');
  });

  it('invokes as an Event and follows it until it succeeded', async () => {
    const gateway = functionService();
    renderPage(<Functions instance={instance('Function')} />, gateway.api);
    fireEvent.click(await screen.findByRole('button', { name: 'hello' }));
    fireEvent.click(await screen.findByRole('radio', { name: 'Event (asynchronous)' }));
    fireEvent.click(screen.getByRole('button', { name: 'Invoke' }));
    const shown = await screen.findByTestId('event-invocation');
    expect(shown.textContent).toContain('queued');
    expect(shown.textContent).toContain('Request e1');
    await waitFor(() => expect(shown.textContent).toContain('succeeded'), { timeout: 4000 });
    expect(shown.textContent).toContain('"done": true');
    const sent = gateway.sent('POST', `${F}/functions/hello/invoke`)[0];
    expect(sent.query.get('invocationType')).toBe('Event');
    expect(sent.query.get('qualifier')).toBeNull();
    expect(gateway.sent('GET', `${F}/functions/hello/invocations/e1`)).toHaveLength(2);
  });
});
