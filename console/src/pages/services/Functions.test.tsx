import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { base64Of } from '../../api/functions';
import { BASE, fakeGateway, instance, json, renderPage, setUpDom } from '../../testing/harness';
import { Functions } from './Functions';

setUpDom();
const F = BASE('function');
const existing = { functionName: 'hello', runtime: 'python3.9', effectiveRuntime: 'python3.11', handler: 'lambda_function.lambda_handler', codeSize: 300, timeout: 3, memorySize: 128 };

function functionService() {
  const functions = [existing];
  return fakeGateway({
    [`GET ${F}/functions`]: () => ({ functions, count: functions.length }),
    [`POST ${F}/functions`]: ({ body }) => {
      const b = body as typeof existing;
      functions.push({ ...b, codeSize: 3 });
      return json(b, 201);
    },
    [`PUT ${F}/functions/hello/code`]: () => existing,
    [`POST ${F}/functions/hello/invoke`]: ({ body }) => ({
      requestId: 'r1',
      statusCode: 200,
      payload: { echoed: (body as { payload: unknown }).payload },
      durationMs: 12.34,
      coldStart: true,
      logResult: 'START RequestId: r1\nhi\nEND RequestId: r1',
    }),
  });
}

function chooseZip(bytes: number[]) {
  const input = document.querySelector('input[type=file]') as HTMLInputElement;
  fireEvent.change(input, { target: { files: [new File([new Uint8Array(bytes)], 'fn.zip', { type: 'application/zip' })] } });
}

describe('Functions', () => {
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
});
