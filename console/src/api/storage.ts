import type { ApiClient } from './client';
import { apiError } from './errors';
import type { Instance } from './identity';
import { serviceBase } from './service';

/** Seed 000's REST API of one s3storage instance, through the gateway (docs/storage.md). */
export interface Bucket {
  name: string;
  versioning: boolean;
  encryption: boolean;
  publicAccess: boolean;
  createdAt: string;
  objectCount?: number;
  totalBytes?: number;
}

export interface StoredObject {
  key: string;
  size: number;
  etag: string;
  contentType: string;
  lastModified: string;
}

export interface ObjectPage {
  objects: StoredObject[];
  isTruncated: boolean;
  nextContinuationToken?: string | null;
}

/** `/api/s3storage/{tenantId}/{serviceId}`: where an instance's seed API lives. */
export const instanceBase = (instance: Pick<Instance, 'tenantId' | 'id'>) => serviceBase('s3storage', instance);

/**
 * An object key as a URL path: each segment escaped, the slashes kept (the API takes the rest
 * of the path as the key, and the gateway refuses an encoded slash).
 */
export function keyPath(key: string): string {
  return key.split('/').map(encodeURIComponent).join('/');
}

export const objectUrl = (base: string, bucket: string, key: string) =>
  `${base}/buckets/${encodeURIComponent(bucket)}/objects/${keyPath(key)}`;

export async function listBuckets(api: ApiClient, base: string): Promise<Bucket[]> {
  const body = await api.json<{ buckets: Bucket[] }>('GET', `${base}/buckets`);
  return body.buckets;
}

export const createBucket = (api: ApiClient, base: string, name: string, options: Partial<Bucket>) =>
  api.json<Bucket>('POST', `${base}/buckets`, { name, ...options });

export const deleteBucket = (api: ApiClient, base: string, name: string) =>
  api.json<void>('DELETE', `${base}/buckets/${encodeURIComponent(name)}`);

/** Every object under a prefix, following continuation tokens page by page. */
export async function listObjects(
  api: ApiClient,
  base: string,
  bucket: string,
  prefix: string,
): Promise<StoredObject[]> {
  const objects: StoredObject[] = [];
  let token: string | null | undefined;
  do {
    const query = new URLSearchParams({ prefix, maxKeys: '1000' });
    if (token) {
      query.set('continuationToken', token);
    }
    const page = await api.json<ObjectPage>(
      'GET',
      `${base}/buckets/${encodeURIComponent(bucket)}/objects?${query}`,
    );
    objects.push(...page.objects);
    token = page.isTruncated ? page.nextContinuationToken : null;
  } while (token);
  return objects;
}

export const deleteObject = (api: ApiClient, base: string, bucket: string, key: string) =>
  api.json<void>('DELETE', objectUrl(base, bucket, key));

export const downloadObject = (api: ApiClient, base: string, bucket: string, key: string) =>
  api.blob(objectUrl(base, bucket, key));

/** The minimal XMLHttpRequest surface an upload needs (fetch cannot report upload progress). */
export interface UploadRequest {
  open(method: string, url: string): void;
  setRequestHeader(name: string, value: string): void;
  send(body: FormData): void;
  upload: { onprogress: ((event: ProgressEvent) => void) | null };
  onload: ((event: ProgressEvent) => void) | null;
  onerror: ((event: ProgressEvent) => void) | null;
  status: number;
  responseText: string;
  getResponseHeader(name: string): string | null;
}

/**
 * Uploads one file as multipart form data, reporting the fraction sent (0..1). Resolves with
 * the stored object's key, rejects with the API's error in words.
 */
export function uploadObject(
  api: ApiClient,
  base: string,
  bucket: string,
  key: string,
  file: Blob,
  onProgress: (fraction: number) => void,
  newRequest: () => UploadRequest = () => new XMLHttpRequest(),
): Promise<{ key: string; size: number }> {
  return new Promise((resolve, reject) => {
    const request = newRequest();
    const path = `${base}/buckets/${encodeURIComponent(bucket)}/objects`;
    request.open('POST', path);
    for (const [name, value] of Object.entries(api.authHeaders(path))) {
      request.setRequestHeader(name, value);
    }
    request.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) {
        onProgress(Math.min(1, event.loaded / event.total));
      }
    };
    request.onload = () => {
      const body = parse(request.responseText);
      if (request.status >= 200 && request.status < 300) {
        onProgress(1);
        resolve(body as { key: string; size: number });
      } else {
        reject(apiError(request.status, body, request.getResponseHeader('Retry-After')));
      }
    };
    request.onerror = () => reject(apiError(0, null));
    const form = new FormData();
    form.append('key', key);
    if (file.type) {
      form.append('contentType', file.type);
    }
    form.append('file', file, key.split('/').pop() || 'file');
    request.send(form);
  });
}

function parse(body: string): unknown {
  try {
    return body ? JSON.parse(body) : null;
  } catch {
    return null;
  }
}
