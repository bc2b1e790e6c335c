import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BASE, fakeGateway, instance, json, renderPage, setUpDom } from '../../testing/harness';
import { Buckets } from './Buckets';

setUpDom();
const S = BASE('s3storage');
const KEYS = '/api/services/11111111-2222-3333-4444-555555555555/s3-credentials';

function storage() {
  const keys = [{ accessKeyId: 'CKFIRST', serviceId: 's', createdAt: '2026-12-06T10:00:00Z' }];
  return fakeGateway({
    [`GET ${KEYS}`]: () => keys,
    [`POST ${KEYS}`]: () => {
      keys.push({ accessKeyId: 'CKSECOND', serviceId: 's', createdAt: '2026-12-06T11:00:00Z' });
      return json({ ...keys[1], secretAccessKey: 'the-secret' }, 201);
    },
    [`DELETE ${KEYS}/CKSECOND`]: () => {
      keys.pop();
      return undefined;
    },
    [`GET ${S}/buckets`]: () => ({ buckets: [{ name: 'files', versioning: false, encryption: false, publicAccess: false, createdAt: '2026-12-06T10:00:00Z' }] }),
    [`GET ${S}/buckets/files/objects`]: () => ({
      objects: [{ key: 'top.txt', size: 3, etag: 'e', contentType: 'text/plain', lastModified: '2026-12-06T10:00:00Z' }],
      isTruncated: false,
    }),
  });
}

/** storage-service's S3 face for the bucket's `?lifecycle` and `?cors`, as the page's fetch sees it. */
function s3() {
  let lifecycle: string | null = null;
  const calls: { method: string; url: string; body?: string; headers: Record<string, string> }[] = [];
  const fetchFn = vi.fn(async (url: string, init: RequestInit) => {
    const method = init.method ?? 'GET';
    calls.push({ method, url, body: init.body as string | undefined, headers: init.headers as Record<string, string> });
    if (url === '/s3/files?lifecycle' && method === 'PUT') {
      lifecycle = init.body as string;
      return new Response(null, { status: 200 });
    }
    if (url === '/s3/files?lifecycle' && method === 'DELETE') {
      lifecycle = null;
      return new Response(null, { status: 204 });
    }
    if (url === '/s3/files?lifecycle' && lifecycle) {
      return new Response(lifecycle, { status: 200 });
    }
    const code = url.endsWith('cors') ? 'NoSuchCORSConfiguration' : 'NoSuchLifecycleConfiguration';
    return new Response(`<Error><Code>${code}</Code><Message>none</Message></Error>`, { status: 404 });
  });
  vi.stubGlobal('fetch', fetchFn);
  return calls;
}

afterEach(() => vi.unstubAllGlobals());

describe('Storage access keys, share links and bucket settings', () => {
  it('creates a second key, shows its secret once, signs with it, and revokes it', async () => {
    const gateway = storage();
    renderPage(<Buckets instance={instance('S3Storage')} />, gateway.api);
    await screen.findByTestId('access-key-CKFIRST');
    expect((screen.getByRole('button', { name: 'Settings of files' }) as HTMLButtonElement).disabled).toBe(true);

    fireEvent.click(screen.getByRole('button', { name: 'Create access key' }));
    expect((await screen.findByTestId('secret-Secret access key')).textContent).toBe('the-secret');
    fireEvent.click(screen.getByRole('button', { name: 'Sign with it in this tab' }));
    expect((await screen.findByText('Signing with CKSECOND.')).getAttribute('role')).toBe('status');
    expect(screen.queryByText('the-secret')).toBeNull();
    expect(screen.getByTestId('access-key-CKSECOND').textContent).toContain('(signing here)');

    fireEvent.click(screen.getByRole('button', { name: 'Revoke CKSECOND' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Revoke key' }));
    await waitFor(() => expect(screen.queryByTestId('access-key-CKSECOND')).toBeNull());
    expect(screen.queryByText('Signing with CKSECOND.')).toBeNull();
    expect(gateway.sent('DELETE', `${KEYS}/CKSECOND`)).toHaveLength(1);
  });

  it('makes a copyable share link of an object with the chosen expiry', async () => {
    renderPage(<Buckets instance={instance('S3Storage')} />, storage().api);
    await screen.findByTestId('access-key-CKFIRST');
    const sign = screen.getByRole('form', { name: 'Sign with an access key' });
    fireEvent.change(within(sign).getByLabelText(/Access key ID/), { target: { value: 'CKFIRST' } });
    fireEvent.change(within(sign).getByLabelText(/Secret access key/), { target: { value: 's3cr3t' } });
    fireEvent.click(within(sign).getByRole('button', { name: 'Sign with this key' }));
    await screen.findByText('Signing with CKFIRST.');

    fireEvent.click(screen.getByRole('button', { name: 'files' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Share top.txt' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Make link' }));
    const link = (await screen.findByTestId('secret-Share link')).textContent ?? '';
    const url = new URL(link);
    expect(url.origin).toBe(window.location.origin);
    expect(url.pathname).toBe('/s3/files/top.txt');
    expect(url.searchParams.get('X-Amz-Expires')).toBe('3600');
    expect(url.searchParams.get('X-Amz-Credential')).toMatch(/^CKFIRST\/\d{8}\/us-east-1\/s3\/aws4_request$/);
    expect(url.searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
    expect(screen.getByRole('button', { name: 'Copy Share link' })).toBeTruthy();
  });

  it('adds a lifecycle rule on the S3 protocol and deletes the configuration with the last rule', async () => {
    const calls = s3();
    renderPage(<Buckets instance={instance('S3Storage')} />, storage().api);
    await screen.findByTestId('access-key-CKFIRST');
    const sign = screen.getByRole('form', { name: 'Sign with an access key' });
    fireEvent.change(within(sign).getByLabelText(/Access key ID/), { target: { value: 'CKFIRST' } });
    fireEvent.change(within(sign).getByLabelText(/Secret access key/), { target: { value: 's3cr3t' } });
    fireEvent.click(within(sign).getByRole('button', { name: 'Sign with this key' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Settings of files' }));
    await screen.findByText('No lifecycle rules.');

    const form = screen.getByRole('form', { name: 'Add a lifecycle rule' });
    fireEvent.change(within(form).getByLabelText(/Rule ID/), { target: { value: 'expire-logs' } });
    fireEvent.change(within(form).getByLabelText(/Prefix/), { target: { value: 'logs/' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Add rule' }));
    expect((await screen.findByTestId('lifecycle-expire-logs')).textContent).toContain('expire after 30 days');
    const put = calls.find((c) => c.method === 'PUT')!;
    expect(put.body).toContain('<Rule><ID>expire-logs</ID><Filter><Prefix>logs/</Prefix></Filter>');
    expect(put.headers.Authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=CKFIRST\//);

    fireEvent.click(screen.getByRole('button', { name: 'Delete lifecycle rule expire-logs' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Delete rule' }));
    await screen.findByText('No lifecycle rules.');
    expect(calls.filter((c) => c.method === 'DELETE').map((c) => c.url)).toEqual(['/s3/files?lifecycle']);
  });
});
