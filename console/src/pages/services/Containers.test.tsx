import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { applyEvent, canRollBack, type Container, type ContainerDetails, type RegistryLogin, type Update } from '../../api/updater';
import { newContainerBody, parseEnvironment, EMPTY_FORM } from '../../logic/containers';
import { fakeGateway, json, renderPage, setUpDom } from '../../testing/harness';
import { Containers } from './Containers';

setUpDom();

/** The browser's WebSocket as the page uses it; the test plays updater-service's side. */
class FakeSocket {
  static opened: FakeSocket[] = [];
  sent: unknown[] = [];
  onopen: (() => void) | null = null;
  onmessage: ((message: { data: string }) => void) | null = null;
  onclose: (() => void) | null = null;
  closed = false;
  constructor(readonly url: string) {
    FakeSocket.opened.push(this);
  }
  send(text: string) {
    this.sent.push(JSON.parse(text));
  }
  close() {
    this.closed = true;
  }
  push(message: object) {
    act(() => this.onmessage?.({ data: JSON.stringify(message) }));
  }
}

beforeEach(() => {
  FakeSocket.opened = [];
  vi.stubGlobal('WebSocket', FakeSocket);
});
afterEach(() => vi.unstubAllGlobals());

const web: Container = { id: 1, name: 'web', image: '127.0.0.1:5000/demo/web:latest', status: 'running', update_available: true, update_policy: { policy: 'auto', strategy: 'rolling' } };
const done: Update = {
  id: 'u1', container_id: 1, container_name: 'web', to_image: web.image, from_digest: 'sha256:aaaaaaaaaaaaaaaaaaaaaaaa', to_digest: 'sha256:bbbb',
  strategy: 'rolling', status: 'completed', trigger: 'schedule', started_at: '2026-12-06T10:00:00Z', duration: '4s', success: true,
  logs: [{ timestamp: '2026-12-06T10:00:00Z', level: 'info', message: 'Pulled sha256:bbbb' }],
};
const failed: Update = { ...done, id: 'u2', status: 'rolled_back', success: false, rollback: true, logs: [] };

const page = <T,>(items: T[]) => ({ success: true, data: { items, pagination: { page: 1, limit: 50, total: items.length, pages: 1, has_next: false, has_prev: false } } });

function updaterService() {
  return fakeGateway({
    'GET /api/containers': () => page([web]),
    'GET /api/updates': () => page([done, failed]),
    'POST /api/updates/u1/rollback': () => json({ success: true, message: 'Rollback started', data: { ...done, id: 'u3', status: 'pending' } }, 202),
  });
}

describe('Containers', () => {
  it('knows which updates can be rolled back and applies status events', () => {
    expect(canRollBack(done)).toBe(true);
    expect(canRollBack(failed)).toBe(false);
    expect(canRollBack({ ...done, from_digest: null })).toBe(false);
    const changed = applyEvent([web], { type: 'container_status_changed', data: { container_id: 1, status: 'stopped' } });
    expect(changed[0].status).toBe('stopped');
    expect(applyEvent([web], { type: 'container_update_started', data: { container_id: 1 } })).toEqual([web]);
  });

  it('subscribes over the WebSocket and shows status changes and updates as they happen', async () => {
    const gateway = updaterService();
    renderPage(<Containers />, gateway.api);
    const row = await screen.findByTestId('container-web');
    expect(row.textContent).toContain('running');
    expect(row.textContent).toContain('Update available');

    const socket = FakeSocket.opened[0];
    expect(socket.url).toMatch(/^ws:\/\/[^/]+\/api\/ws\?token=token$/);
    act(() => socket.onopen?.());
    expect(socket.sent[0]).toMatchObject({ type: 'subscribe', data: { events: expect.arrayContaining(['container_status_changed']) } });
    expect(screen.getByTestId('live-state').textContent).toBe('Connecting…');
    socket.push({ type: 'subscribed', data: {} });
    expect(screen.getByTestId('live-state').textContent).toBe('Live');

    const historyReads = gateway.sent('GET', '/api/updates').length;
    socket.push({ type: 'container_status_changed', data: { container_id: 1, name: 'web', status: 'stopped' } });
    expect(screen.getByTestId('container-web').textContent).toContain('stopped');
    expect(screen.getByRole('status').textContent).toBe('web is stopped');
    expect(gateway.sent('GET', '/api/updates')).toHaveLength(historyReads);

    socket.push({ type: 'container_update_completed', data: { container_id: 1, update_id: 'u4', success: false } });
    expect(screen.getByRole('status').textContent).toBe('web: update failed');
    await waitFor(() => expect(gateway.sent('GET', '/api/updates').length).toBe(historyReads + 1));
  });

  it('rolls back a completed update after a confirmation, and offers no rollback for a rolled-back one', async () => {
    const gateway = updaterService();
    renderPage(<Containers />, gateway.api);
    await screen.findByTestId('update-u1');
    expect(within(screen.getByTestId('update-u2')).queryByRole('button', { name: /Roll back/ })).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Roll back update u1' }));
    const dialog = await screen.findByRole('dialog');
    expect(dialog.textContent).toContain('sha256:aaaaaaaaaaaa');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Roll back' }));
    await waitFor(() => expect(gateway.sent('POST', '/api/updates/u1/rollback')).toHaveLength(1));
  });

  it('filters the history by container and shows an update log', async () => {
    const gateway = updaterService();
    renderPage(<Containers />, gateway.api);
    fireEvent.click(await screen.findByRole('button', { name: 'History of web' }));
    await waitFor(() => expect(gateway.sent('GET', '/api/updates').some((c) => c.query.get('container_id') === '1')).toBe(true));
    expect(gateway.sent('GET', '/api/updates')[0].query.get('limit')).toBe('50');

    fireEvent.click(await screen.findByRole('button', { name: 'Log of update u1' }));
    expect((await screen.findByTestId('update-log')).textContent).toContain('Pulled sha256:bbbb');
  });

  it('closes the socket when the page is left', async () => {
    const gateway = updaterService();
    renderPage(<Containers />, gateway.api);
    await screen.findByTestId('container-web');
    const socket = FakeSocket.opened[0];
    cleanup();
    expect(socket.closed).toBe(true);
  });
});

/** updater-service with a container's settings, its log (recent and streamed) and registry logins. */
function managedService() {
  const details: ContainerDetails = {
    ...web,
    config: { environment: { ENV: 'production' }, memory_limit: '64MB', cpu_limit: null, restart_policy: 'no', ports: [{ host: 18080, container: 8080, protocol: 'tcp' }] },
    update_policy: { policy: 'auto', strategy: 'rolling', schedule: '0 2 * * *', rollback_on_failure: true },
  };
  const logins: RegistryLogin[] = [];
  const encoder = new TextEncoder();
  return fakeGateway({
    'GET /api/containers': () => page([web]),
    'GET /api/updates': () => page([]),
    'GET /api/containers/1': () => ({ success: true, data: details }),
    'PUT /api/containers/1': () => ({ success: true, message: 'Container updated successfully', data: { id: 1 } }),
    'POST /api/containers': ({ body }) =>
      (body as { name: string }).name === 'bad'
        ? json({ success: false, message: 'Validation failed', error: { code: 'VALIDATION_ERROR', details: 'Validation failed', fields: { memory_limit: ['must look like 512MB'] } } }, 422)
        : json({ success: true, message: 'Container created successfully', data: { id: 2, name: 'api', status: 'running' } }, 201),
    'GET /api/containers/1/logs': ({ query }) =>
      query.get('follow') === 'true'
        ? new Response(
            new ReadableStream<Uint8Array>({
              start(controller) {
                controller.enqueue(encoder.encode(':following\n\nevent: log\ndata: {"timestamp":"2026-12-07T10:00:00Z","level":"info","message":"GET /version","source":"stdout"}\n\n'));
                controller.enqueue(encoder.encode('event: log\ndata: {"timestamp":"2026-12-07T10:00:01Z","level":"info","message":"GET /health","source":"stdout"}\n\n'));
              },
            }),
            { status: 200, headers: { 'Content-Type': 'text/event-stream' } },
          )
        : { success: true, data: { logs: [{ timestamp: '2026-12-07T09:59:00Z', level: 'info', message: 'httpd started', source: 'stdout' }] } },
    'GET /api/images/registries': () => ({ success: true, data: { items: logins } }),
    'PUT /api/images/registries/ghcr.io': ({ body }) => {
      logins.push({ registry: 'ghcr.io', username: (body as RegistryLogin).username, created_at: '2026-12-07T10:00:00Z' });
      return json({ success: true, message: 'Registry login created', data: logins[0] }, 201);
    },
    'DELETE /api/images/registries/ghcr.io': () => {
      logins.pop();
      return { success: true, data: { registry: 'ghcr.io' } };
    },
  });
}

describe('Managing containers', () => {
  it('turns the form into seed 002\'s create body, and refuses what is not KEY=VALUE', () => {
    expect(parseEnvironment('# comment\nENV=production\n\nURL=a=b')).toEqual({ ENV: 'production', URL: 'a=b' });
    expect(() => parseEnvironment('ENV')).toThrow('Environment line 1 is not KEY=VALUE');
    const body = newContainerBody({ ...EMPTY_FORM, name: ' web ', image: 'nginx:latest', hostPort: '8080', containerPort: '80', healthCommand: 'curl -f http://localhost/health' });
    expect(body).toMatchObject({
      name: 'web',
      config: { ports: [{ host: 8080, container: 80, protocol: 'tcp' }], restart_policy: 'unless-stopped', memory_limit: null },
      update_policy: { policy: 'manual', strategy: 'rolling', rollback_on_failure: true },
      health_check: { enabled: true, command: ['curl', '-f', 'http://localhost/health'] },
      start_immediately: true,
    });
    expect(body.update_policy).not.toHaveProperty('schedule');
    expect(() => newContainerBody({ ...EMPTY_FORM, hostPort: '70000', containerPort: '80' })).toThrow('host port');
  });

  it('creates a container, and shows the service\'s refusal in words', async () => {
    const gateway = managedService();
    renderPage(<Containers />, gateway.api);
    fireEvent.click(await screen.findByRole('button', { name: 'New container' }));
    const form = await screen.findByRole('form', { name: 'Create a container' });
    fireEvent.change(within(form).getByLabelText(/^Name/), { target: { value: 'bad' } });
    fireEvent.change(within(form).getByLabelText(/^Image/), { target: { value: 'nginx:latest' } });
    fireEvent.change(within(form).getByLabelText(/^Memory limit/), { target: { value: 'lots' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Create container' }));
    expect((await within(form).findByRole('alert')).textContent).toContain('Validation failed: memory_limit must look like 512MB');

    fireEvent.change(within(form).getByLabelText(/^Name/), { target: { value: 'api' } });
    fireEvent.change(within(form).getByLabelText(/^Memory limit/), { target: { value: '128MB' } });
    fireEvent.change(within(form).getByLabelText(/^Environment/), { target: { value: 'ENV=staging' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Create container' }));
    await waitFor(() => expect(screen.queryByRole('form', { name: 'Create a container' })).toBeNull());
    expect(gateway.sent('POST', '/api/containers')[1].body).toMatchObject({
      name: 'api',
      image: 'nginx:latest',
      config: { environment: { ENV: 'staging' }, memory_limit: '128MB' },
      start_immediately: true,
    });
  });

  it('changes a container\'s settings, starting from what the service has', async () => {
    const gateway = managedService();
    renderPage(<Containers />, gateway.api);
    fireEvent.click(await screen.findByRole('button', { name: 'Settings of web' }));
    const form = await screen.findByRole('form', { name: 'Change the container' });
    await waitFor(() => expect((within(form).getByLabelText(/^Memory limit/) as HTMLInputElement).value).toBe('64MB'));
    expect((within(form).getByLabelText(/^Environment/) as HTMLTextAreaElement).value).toBe('ENV=production');
    expect((within(form).getByLabelText(/^Image/) as HTMLInputElement).disabled).toBe(true);
    fireEvent.change(within(form).getByLabelText(/^Memory limit/), { target: { value: '1GB' } });
    fireEvent.change(within(form).getByLabelText(/^Check schedule/), { target: { value: '0 3 * * *' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Save settings' }));
    await waitFor(() => expect(gateway.sent('PUT', '/api/containers/1')).toHaveLength(1));
    expect(gateway.sent('PUT', '/api/containers/1')[0].body).toEqual({
      config: { environment: { ENV: 'production' }, restart_policy: 'no', memory_limit: '1GB', cpu_limit: null },
      update_policy: { policy: 'auto', strategy: 'rolling', rollback_on_failure: true, schedule: '0 3 * * *' },
    });
  });

  it('shows the last log lines, then follows the Server-Sent Events with the token in a header only', async () => {
    const gateway = managedService();
    renderPage(<Containers />, gateway.api);
    fireEvent.click(await screen.findByRole('button', { name: 'Log of web' }));
    await waitFor(() => expect(screen.getByTestId('container-log').textContent).toContain('httpd started'));
    fireEvent.click(screen.getByRole('button', { name: 'Follow live' }));
    await waitFor(() => expect(screen.getByTestId('container-log').textContent).toContain('GET /health'));
    expect(screen.getByTestId('container-log').textContent).toContain('GET /version');
    expect(screen.getByTestId('container-log').textContent).not.toContain('httpd started');
    const followed = gateway.sent('GET', '/api/containers/1/logs').find((c) => c.query.get('follow') === 'true')!;
    expect(followed.headers.Authorization).toBe('Bearer token');
    expect(followed.headers.Accept).toBe('text/event-stream');
    expect(followed.query.has('token')).toBe(false);
  });

  it('adds a registry login without ever showing its password, and deletes it after a confirmation', async () => {
    const gateway = managedService();
    renderPage(<Containers />, gateway.api);
    const form = await screen.findByRole('form', { name: 'Add a registry login' });
    fireEvent.change(within(form).getByLabelText(/^Registry\W*$/), { target: { value: 'ghcr.io' } });
    fireEvent.change(within(form).getByLabelText(/^Registry username/), { target: { value: 'robot' } });
    fireEvent.change(within(form).getByLabelText(/^Registry password/), { target: { value: 's3cret-token' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Save login' }));
    expect((await screen.findByTestId('registry-ghcr.io')).textContent).toContain('robot');
    expect(gateway.sent('PUT', '/api/images/registries/ghcr.io')[0].body).toEqual({ username: 'robot', password: 's3cret-token' });
    expect(document.body.innerHTML).not.toContain('s3cret-token');

    fireEvent.click(screen.getByRole('button', { name: 'Delete the login for ghcr.io' }));
    fireEvent.click(within(await screen.findByRole('dialog')).getByRole('button', { name: 'Delete login' }));
    expect(await screen.findByText(/No registry logins/)).toBeTruthy();
  });
});
