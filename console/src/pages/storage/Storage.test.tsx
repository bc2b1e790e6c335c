import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { BASE, fakeGateway, instance, json, renderPage, setUpDom } from '../../testing/harness';
import { Buckets } from './Buckets';

setUpDom();
const S = BASE('s3storage');
const object = (key: string) => ({ key, size: 1536, etag: 'e', contentType: 'text/plain', lastModified: '2026-12-06T10:00:00Z' });

function storageService() {
  const keys = ['docs/a.txt', 'docs/deep/b.txt', 'top.txt'];
  return fakeGateway({
    'GET /api/services/11111111-2222-3333-4444-555555555555/s3-credentials': () => [],
    [`GET ${S}/buckets`]: () => ({ buckets: [{ name: 'files', versioning: true, encryption: false, publicAccess: false, createdAt: '2026-12-06T10:00:00Z' }] }),
    [`DELETE ${S}/buckets/files`]: () =>
      json({ error: { code: 'BucketNotEmpty', message: 'The bucket you tried to delete is not empty' } }, 409),
    [`GET ${S}/buckets/files/objects`]: ({ query }) => ({
      objects: keys.filter((k) => k.startsWith(query.get('prefix') ?? '')).map(object),
      isTruncated: false,
    }),
    [`DELETE ${S}/buckets/files/objects/docs/a.txt`]: () => {
      keys.splice(keys.indexOf('docs/a.txt'), 1);
      return undefined;
    },
  });
}

describe('Storage', () => {
  it('browses a bucket as folders and deletes an object after the confirmation', async () => {
    const gateway = storageService();
    renderPage(<Buckets instance={instance('S3Storage')} />, gateway.api);
    fireEvent.click(await screen.findByRole('button', { name: 'files' }));
    expect((await screen.findByTestId('object-top.txt')).textContent).toContain('1.5 KiB');

    fireEvent.click(screen.getByRole('button', { name: /docs\// }));
    await screen.findByTestId('object-docs/a.txt');
    expect(screen.getByTestId('folder-docs/deep/')).toBeTruthy();
    expect(screen.queryByTestId('object-top.txt')).toBeNull();

    fireEvent.click(within(screen.getByTestId('object-docs/a.txt')).getByRole('button', { name: 'Delete docs/a.txt' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Delete object' }));
    await waitFor(() => expect(screen.queryByTestId('object-docs/a.txt')).toBeNull());
    expect(gateway.sent('DELETE', `${S}/buckets/files/objects/docs/a.txt`)).toHaveLength(1);
  });

  it('shows why a bucket cannot be deleted', async () => {
    renderPage(<Buckets instance={instance('S3Storage')} />, storageService().api);
    fireEvent.click(await screen.findByRole('button', { name: 'Delete bucket files' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Delete bucket' }));
    expect((await screen.findByRole('alert')).textContent).toContain('The bucket you tried to delete is not empty');
  });
});
