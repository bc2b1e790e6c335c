import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { CorsRule, LifecycleRule } from '../../api/storage';
import { BASE, fakeGateway, instance, json, renderPage, setUpDom } from '../../testing/harness';
import { Buckets } from './Buckets';

setUpDom();
const S = BASE('s3storage');
const KEYS = '/api/services/11111111-2222-3333-4444-555555555555/s3-credentials';
const LINK = 'https://gateway.test/s3/files/top.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Signature=abc';

function storage(initialKeys = ['CKFIRST']) {
  const keys = initialKeys.map((accessKeyId) => ({ accessKeyId, serviceId: 's', createdAt: '2026-12-06T10:00:00Z' }));
  let lifecycle: LifecycleRule[] | null = null;
  let cors: CorsRule[] | null = null;
  const none = (code: string) => json({ error: { code, message: 'none' } }, 404);
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
    [`POST ${S}/buckets/files/share-links`]: ({ body }) => ({
      url: LINK,
      accessKeyId: (body as { accessKeyId: string }).accessKeyId,
      expiresAt: '2026-12-06T11:00:00Z',
    }),
    [`GET ${S}/buckets/files/lifecycle`]: () => (lifecycle ? { rules: lifecycle } : none('NoSuchLifecycleConfiguration')),
    [`PUT ${S}/buckets/files/lifecycle`]: ({ body }) => {
      lifecycle = (body as { rules: LifecycleRule[] }).rules;
      return { rules: lifecycle };
    },
    [`DELETE ${S}/buckets/files/lifecycle`]: () => {
      lifecycle = null;
      return undefined;
    },
    [`GET ${S}/buckets/files/cors`]: () => (cors ? { rules: cors } : none('NoSuchCORSConfiguration')),
    [`PUT ${S}/buckets/files/cors`]: ({ body }) => {
      cors = (body as { rules: CorsRule[] }).rules;
      return { rules: cors };
    },
  });
}

describe('Storage access keys, share links and bucket settings', () => {
  it('creates a second key, shows its secret once, and revokes it', async () => {
    const gateway = storage();
    renderPage(<Buckets instance={instance('S3Storage')} />, gateway.api);
    await screen.findByTestId('access-key-CKFIRST');
    expect(screen.queryByLabelText(/Secret access key/)).toBeNull();

    fireEvent.click(screen.getByRole('button', { name: 'Create access key' }));
    expect((await screen.findByTestId('secret-Secret access key')).textContent).toBe('the-secret');
    fireEvent.click(screen.getByRole('button', { name: 'I have saved it' }));
    await waitFor(() => expect(screen.queryByText('the-secret')).toBeNull());

    fireEvent.click(await screen.findByRole('button', { name: 'Revoke CKSECOND' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Revoke key' }));
    await waitFor(() => expect(screen.queryByTestId('access-key-CKSECOND')).toBeNull());
    expect(gateway.sent('DELETE', `${KEYS}/CKSECOND`)).toHaveLength(1);
  });

  it('asks storage-service for a share link signed with the instance key, with the chosen expiry', async () => {
    const gateway = storage(['CKFIRST', 'CKOTHER']);
    renderPage(<Buckets instance={instance('S3Storage')} />, gateway.api);
    fireEvent.click(await screen.findByRole('button', { name: 'files' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Share top.txt' }));
    const make = await screen.findByRole('button', { name: 'Make link' });
    await waitFor(() => expect((make as HTMLButtonElement).disabled).toBe(false));
    fireEvent.click(make);

    expect((await screen.findByTestId('secret-Share link')).textContent).toBe(LINK);
    expect(screen.getByRole('button', { name: 'Copy Share link' })).toBeTruthy();
    expect(screen.getByText(/until CKFIRST is revoked/)).toBeTruthy();
    const [call] = gateway.sent('POST', `${S}/buckets/files/share-links`);
    expect(call.body).toEqual({ key: 'top.txt', expiresInSeconds: 3600, accessKeyId: 'CKFIRST' });
    expect(call.headers.Authorization).toBe('Bearer token');
  });

  it('says a share link needs an access key when the instance has none', async () => {
    const gateway = storage([]);
    renderPage(<Buckets instance={instance('S3Storage')} />, gateway.api);
    fireEvent.click(await screen.findByRole('button', { name: 'files' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Share top.txt' }));
    expect((await screen.findByText(/it has none: create one under Access keys first/)).getAttribute('role')).toBe('status');
    expect(screen.queryByRole('button', { name: 'Make link' })).toBeNull();
    expect(gateway.sent('POST', `${S}/buckets/files/share-links`)).toHaveLength(0);
  });

  it('adds lifecycle and CORS rules through the REST API and deletes the configuration with the last rule', async () => {
    const gateway = storage();
    renderPage(<Buckets instance={instance('S3Storage')} />, gateway.api);
    fireEvent.click(await screen.findByRole('button', { name: 'Settings of files' }));
    await screen.findByText('No lifecycle rules.');
    await screen.findByText('No CORS rules.');

    const form = screen.getByRole('form', { name: 'Add a lifecycle rule' });
    fireEvent.change(within(form).getByLabelText(/Rule ID/), { target: { value: 'expire-logs' } });
    fireEvent.change(within(form).getByLabelText(/Prefix/), { target: { value: 'logs/' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Add rule' }));
    const row = await screen.findByTestId('lifecycle-expire-logs');
    expect(row.textContent).toContain('prefix logs/');
    expect(row.textContent).toContain('expire after 30 days');
    expect(gateway.sent('PUT', `${S}/buckets/files/lifecycle`)[0].body).toEqual({
      rules: [{ id: 'expire-logs', status: 'Enabled', filter: { prefix: 'logs/' }, expiration: { days: 30 } }],
    });

    const corsForm = screen.getByRole('form', { name: 'Add a CORS rule' });
    fireEvent.change(within(corsForm).getByLabelText(/Allowed origins/), { target: { value: 'https://app.example.com, https://b.example.com' } });
    fireEvent.click(within(corsForm).getByRole('button', { name: 'Add CORS rule' }));
    await screen.findByText('https://app.example.com, https://b.example.com');
    expect(gateway.sent('PUT', `${S}/buckets/files/cors`)[0].body).toEqual({
      rules: [{ allowedOrigins: ['https://app.example.com', 'https://b.example.com'], allowedMethods: ['GET'] }],
    });

    fireEvent.click(screen.getByRole('button', { name: 'Delete lifecycle rule expire-logs' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Delete rule' }));
    await screen.findByText('No lifecycle rules.');
    expect(gateway.sent('DELETE', `${S}/buckets/files/lifecycle`)).toHaveLength(1);
  });
});
