import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { applyEvent, canRollBack, type Container, type Update } from '../../api/updater';
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
