import type { ApiClient } from './client';
import { ApiError, apiError } from './errors';
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

/** An instance's S3 access key pairs (auth-service, docs/identity.md "S3 access keys"). */
export interface AccessKeyInfo {
  accessKeyId: string;
  serviceId: string;
  createdAt: string;
}

const credentialsPath = (serviceId: string) => `/api/services/${encodeURIComponent(serviceId)}/s3-credentials`;

export const listAccessKeys = (api: ApiClient, serviceId: string) => api.json<AccessKeyInfo[]>('GET', credentialsPath(serviceId));

/** A new pair; its secret is in this answer only (for S3 clients: the console never keeps it). */
export const createAccessKey = (api: ApiClient, serviceId: string) =>
  api.json<AccessKeyInfo & { secretAccessKey: string }>('POST', credentialsPath(serviceId), {});

export const revokeAccessKey = (api: ApiClient, serviceId: string, accessKeyId: string) =>
  api.json<void>('DELETE', `${credentialsPath(serviceId)}/${encodeURIComponent(accessKeyId)}`);

const bucketPath = (base: string, bucket: string) => `${base}/buckets/${encodeURIComponent(bucket)}`;

/** A presigned GET URL of an object, signed by storage-service with one of the instance's keys. */
export interface ShareLinkInfo {
  url: string;
  accessKeyId: string;
  expiresAt: string;
}

/** S3 allows presigned URLs of 1 s to 7 days. */
export const MAX_SHARE_SECONDS = 604800;

export const createShareLink = (api: ApiClient, base: string, bucket: string, key: string, expiresInSeconds: number, accessKeyId: string) =>
  api.json<ShareLinkInfo>('POST', `${bucketPath(base, bucket)}/share-links`, { key, expiresInSeconds, accessKeyId });

/**
 * A bucket's lifecycle rules (docs/storage.md, "Bucket rules"): S3's LifecycleConfiguration with
 * camelCase names; the filter's conditions all apply.
 */
export interface LifecycleRule {
  id?: string;
  status: 'Enabled' | 'Disabled';
  filter?: { prefix?: string; tags?: { key: string; value: string }[]; objectSizeGreaterThan?: number; objectSizeLessThan?: number };
  expiration?: { days?: number; date?: string; expiredObjectDeleteMarker?: boolean };
  noncurrentVersionExpiration?: { noncurrentDays: number; newerNoncurrentVersions?: number };
  abortIncompleteMultipartUpload?: { daysAfterInitiation: number };
}

/** A bucket's CORS rules: S3's CORSRule with camelCase names. */
export interface CorsRule {
  id?: string;
  allowedOrigins: string[];
  allowedMethods: string[];
  allowedHeaders?: string[];
  exposeHeaders?: string[];
  maxAgeSeconds?: number;
}

export const CORS_METHODS = ['GET', 'PUT', 'POST', 'DELETE', 'HEAD'];

/** The rules of `lifecycle` or `cors`; none when the bucket has no such configuration (404 NoSuch...). */
async function rulesOf<R>(api: ApiClient, path: string): Promise<R[]> {
  try {
    return (await api.json<{ rules: R[] }>('GET', path)).rules;
  } catch (e) {
    if (e instanceof ApiError && e.status === 404 && e.code?.startsWith('NoSuch') && e.code !== 'NoSuchBucket') {
      return [];
    }
    throw e;
  }
}

/** Puts the whole configuration back; no rules deletes it. */
async function putRules<R>(api: ApiClient, path: string, rules: R[]): Promise<void> {
  if (rules.length === 0) {
    await api.json<void>('DELETE', path);
  } else {
    await api.json<unknown>('PUT', path, { rules });
  }
}

export const getLifecycle = (api: ApiClient, base: string, bucket: string) => rulesOf<LifecycleRule>(api, `${bucketPath(base, bucket)}/lifecycle`);
export const putLifecycle = (api: ApiClient, base: string, bucket: string, rules: LifecycleRule[]) =>
  putRules(api, `${bucketPath(base, bucket)}/lifecycle`, rules);
export const getCors = (api: ApiClient, base: string, bucket: string) => rulesOf<CorsRule>(api, `${bucketPath(base, bucket)}/cors`);
export const putCors = (api: ApiClient, base: string, bucket: string, rules: CorsRule[]) => putRules(api, `${bucketPath(base, bucket)}/cors`, rules);

/** What a lifecycle rule applies to, in words. */
export function lifecycleScope(rule: LifecycleRule): string {
  const f = rule.filter ?? {};
  const parts = [
    f.prefix && `prefix ${f.prefix}`,
    ...(f.tags ?? []).map((t) => `tag ${t.key}=${t.value}`),
    f.objectSizeGreaterThan != null && `over ${f.objectSizeGreaterThan} bytes`,
    f.objectSizeLessThan != null && `under ${f.objectSizeLessThan} bytes`,
  ].filter(Boolean);
  return parts.join(', ') || 'whole bucket';
}

/** What a lifecycle rule does, in words. */
export function lifecycleActions(rule: LifecycleRule): string {
  const e = rule.expiration;
  return (
    [
      e?.days && `expire after ${e.days} days`,
      e?.date && `expire on ${e.date.slice(0, 10)}`,
      e?.expiredObjectDeleteMarker && 'remove expired delete markers',
      rule.noncurrentVersionExpiration && `old versions after ${rule.noncurrentVersionExpiration.noncurrentDays} days`,
      rule.abortIncompleteMultipartUpload && `abort uploads after ${rule.abortIncompleteMultipartUpload.daysAfterInitiation} days`,
    ]
      .filter(Boolean)
      .join(', ') || '—'
  );
}

/** A rule that expires the objects under a prefix after some days, from the form's words. */
export function expirationRule(id: string, prefix: string, days: number): LifecycleRule {
  if (!id.trim()) {
    throw new Error('A rule needs an ID.');
  }
  if (!Number.isInteger(days) || days < 1) {
    throw new Error('Days must be a whole number of at least 1.');
  }
  return { id: id.trim(), status: 'Enabled', filter: prefix ? { prefix } : {}, expiration: { days } };
}

/** A CORS rule from the form's words: origins and headers split at commas and spaces. */
export function corsRule(origins: string, methods: string[], headers: string, maxAgeSeconds: number | null): CorsRule {
  const split = (text: string) => text.split(/[\s,]+/).filter(Boolean);
  const allowedOrigins = split(origins);
  if (allowedOrigins.length === 0) {
    throw new Error('A CORS rule needs at least one origin.');
  }
  if (methods.length === 0) {
    throw new Error('A CORS rule needs at least one method.');
  }
  const allowedHeaders = split(headers);
  return {
    allowedOrigins,
    allowedMethods: methods,
    ...(allowedHeaders.length ? { allowedHeaders } : {}),
    ...(maxAgeSeconds ? { maxAgeSeconds } : {}),
  };
}
