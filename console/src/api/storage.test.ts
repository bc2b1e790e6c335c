import { describe, expect, it } from 'vitest';
import { ApiClient, type Fetch } from './client';
import { fakeGateway, json } from '../testing/harness';
import {
  corsRule,
  expirationRule,
  getCors,
  getLifecycle,
  instanceBase,
  keyPath,
  lifecycleActions,
  lifecycleScope,
  listObjects,
  objectUrl,
  uploadObject,
  type UploadRequest,
} from './storage';

describe('storage paths', () => {
  it('builds the instance base from tenant and id', () => {
    expect(instanceBase({ tenantId: 'acme', id: 'a1' })).toBe('/api/s3storage/acme/a1');
  });

  it('escapes each key segment but keeps the slashes', () => {
    expect(keyPath('docs/my report #1.pdf')).toBe('docs/my%20report%20%231.pdf');
    expect(objectUrl('/b', 'my-bucket', 'a/ü?.txt')).toBe('/b/buckets/my-bucket/objects/a/%C3%BC%3F.txt');
  });
});

describe('listObjects', () => {
  it('follows continuation tokens until the listing is complete', async () => {
    const urls: string[] = [];
    const pages = [
      { objects: [{ key: 'a' }], isTruncated: true, nextContinuationToken: 'next-1' },
      { objects: [{ key: 'b' }], isTruncated: false, nextContinuationToken: null },
    ];
    const fetchFn: Fetch = async (input) => {
      urls.push(String(input));
      return new Response(JSON.stringify(pages[urls.length - 1]), { status: 200 });
    };
    const objects = await listObjects(new ApiClient(fetchFn), '/base', 'bkt', 'docs/');
    expect(objects.map((o) => o.key)).toEqual(['a', 'b']);
    expect(urls[0]).toBe('/base/buckets/bkt/objects?prefix=docs%2F&maxKeys=1000');
    expect(urls[1]).toContain('continuationToken=next-1');
  });
});

/** A scripted XMLHttpRequest: records what is sent, then plays progress and an answer. */
class FakeRequest implements UploadRequest {
  method = '';
  url = '';
  headers: Record<string, string> = {};
  body: FormData | null = null;
  upload: UploadRequest['upload'] = { onprogress: null };
  onload: UploadRequest['onload'] = null;
  onerror: UploadRequest['onerror'] = null;
  status = 0;
  responseText = '';
  retryAfter: string | null = null;

  constructor(private readonly answer: { status: number; body: unknown }) {}

  open(method: string, url: string) {
    this.method = method;
    this.url = url;
  }
  setRequestHeader(name: string, value: string) {
    this.headers[name] = value;
  }
  getResponseHeader(name: string) {
    return name === 'Retry-After' ? this.retryAfter : null;
  }
  send(body: FormData) {
    this.body = body;
    const progress = (loaded: number) => ({ lengthComputable: true, loaded, total: 4 }) as ProgressEvent;
    this.upload.onprogress?.(progress(1));
    this.upload.onprogress?.(progress(3));
    this.status = this.answer.status;
    this.responseText = JSON.stringify(this.answer.body);
    this.onload?.({} as ProgressEvent);
  }
}

describe('uploadObject', () => {
  it('posts the file as multipart with the key, the token, and reports progress', async () => {
    const api = new ApiClient();
    api.signIn('tok', 'acme');
    const request = new FakeRequest({ status: 201, body: { key: 'docs/a.txt', size: 4 } });
    const seen: number[] = [];
    const file = new File(['data'], 'a.txt', { type: 'text/plain' });
    const stored = await uploadObject(api, '/base', 'bkt', 'docs/a.txt', file, (f) => seen.push(f), () => request);
    expect(stored).toEqual({ key: 'docs/a.txt', size: 4 });
    expect(request.method).toBe('POST');
    expect(request.url).toBe('/base/buckets/bkt/objects');
    expect(request.headers.Authorization).toBe('Bearer tok');
    expect(request.body?.get('key')).toBe('docs/a.txt');
    expect(request.body?.get('contentType')).toBe('text/plain');
    expect((request.body?.get('file') as File).size).toBe(4);
    expect(seen).toEqual([0.25, 0.75, 1]);
  });

  it('rejects with the envelope message when the API refuses', async () => {
    const request = new FakeRequest({
      status: 404,
      body: { error: { code: 'NoSuchBucket', message: 'The specified bucket does not exist' } },
    });
    await expect(
      uploadObject(new ApiClient(), '/base', 'gone', 'a', new Blob(['x']), () => {}, () => request),
    ).rejects.toMatchObject({ message: 'The specified bucket does not exist', code: 'NoSuchBucket', status: 404 });
  });
});

describe('bucket rules', () => {
  it('builds rules from the forms and refuses what S3 would', () => {
    expect(expirationRule(' logs ', '', 7)).toEqual({ id: 'logs', status: 'Enabled', filter: {}, expiration: { days: 7 } });
    expect(() => expirationRule('', 'a/', 7)).toThrow('A rule needs an ID.');
    expect(() => expirationRule('x', 'a/', 0)).toThrow('at least 1');
    expect(corsRule('https://a.test  https://b.test', ['GET', 'PUT'], 'x-amz-*, Content-Type', 600)).toEqual({
      allowedOrigins: ['https://a.test', 'https://b.test'],
      allowedMethods: ['GET', 'PUT'],
      allowedHeaders: ['x-amz-*', 'Content-Type'],
      maxAgeSeconds: 600,
    });
    expect(() => corsRule(' ', ['GET'], '', null)).toThrow('at least one origin');
    expect(() => corsRule('*', [], '', null)).toThrow('at least one method');
  });

  it('says in words what a rule put through S3 does, filters and actions the forms cannot make included', () => {
    const rule = {
      id: 'r',
      status: 'Enabled' as const,
      filter: { prefix: 'tmp/', tags: [{ key: 'kind', value: 'debug' }], objectSizeGreaterThan: 10 },
      noncurrentVersionExpiration: { noncurrentDays: 5 },
      abortIncompleteMultipartUpload: { daysAfterInitiation: 2 },
    };
    expect(lifecycleScope(rule)).toBe('prefix tmp/, tag kind=debug, over 10 bytes');
    expect(lifecycleActions(rule)).toBe('old versions after 5 days, abort uploads after 2 days');
    expect(lifecycleScope({ status: 'Disabled' })).toBe('whole bucket');
  });

  it('reads a missing configuration as no rules, but a missing bucket as the error it is', async () => {
    const gateway = fakeGateway({
      'GET /b/buckets/files/lifecycle': () => json({ error: { code: 'NoSuchLifecycleConfiguration', message: 'none' } }, 404),
      'GET /b/buckets/files/cors': () => ({ rules: [{ allowedOrigins: ['*'], allowedMethods: ['GET'] }] }),
      'GET /b/buckets/gone/lifecycle': () => json({ error: { code: 'NoSuchBucket', message: 'The specified bucket does not exist' } }, 404),
    });
    expect(await getLifecycle(gateway.api, '/b', 'files')).toEqual([]);
    expect(await getCors(gateway.api, '/b', 'files')).toEqual([{ allowedOrigins: ['*'], allowedMethods: ['GET'] }]);
    await expect(getLifecycle(gateway.api, '/b', 'gone')).rejects.toThrow('The specified bucket does not exist');
  });
});
