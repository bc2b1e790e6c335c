/**
 * AWS Signature V4 in the browser (WebCrypto), for what storage-service offers on its S3 protocol
 * only: presigned links and bucket settings. The secret stays in this tab's memory; requests go
 * to the gateway's `/s3` (same origin), signed for the host the browser sends.
 */
export interface AccessKey {
  accessKeyId: string;
  secretAccessKey: string;
}

const REGION = 'us-east-1';
const encoder = new TextEncoder();

const hex = (bytes: ArrayBuffer) => Array.from(new Uint8Array(bytes), (b) => b.toString(16).padStart(2, '0')).join('');

export async function sha256Hex(data: string): Promise<string> {
  return hex(await crypto.subtle.digest('SHA-256', encoder.encode(data)));
}

export async function sha256Base64(data: string): Promise<string> {
  const bytes = new Uint8Array(await crypto.subtle.digest('SHA-256', encoder.encode(data)));
  return btoa(String.fromCharCode(...bytes));
}

async function hmac(key: ArrayBuffer | Uint8Array, data: string): Promise<ArrayBuffer> {
  const cryptoKey = await crypto.subtle.importKey('raw', key as BufferSource, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return crypto.subtle.sign('HMAC', cryptoKey, encoder.encode(data));
}

/** RFC 3986 encoding as SigV4 wants it: everything but A-Z a-z 0-9 - _ . ~ (and '/' in paths). */
export function uriEncode(text: string, keepSlash = false): string {
  return Array.from(encoder.encode(text), (b) => {
    const c = String.fromCharCode(b);
    return /[A-Za-z0-9\-_.~]/.test(c) || (keepSlash && c === '/') ? c : `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }).join('');
}

/** `20261207T101500Z` and `20261207` of a time. */
export function amzDates(now: Date): { amzDate: string; day: string } {
  const amzDate = now.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
  return { amzDate, day: amzDate.slice(0, 8) };
}

interface Canonical {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  payloadHash: string;
}

function canonicalQuery(query: Record<string, string>): string {
  return Object.keys(query)
    .sort()
    .map((k) => `${uriEncode(k)}=${uriEncode(query[k])}`)
    .join('&');
}

/** The signature of a request, and the signed header names. */
async function sign(key: AccessKey, day: string, amzDate: string, request: Canonical) {
  const names = Object.keys(request.headers)
    .map((n) => n.toLowerCase())
    .sort();
  const lower = Object.fromEntries(Object.entries(request.headers).map(([n, v]) => [n.toLowerCase(), v.trim()]));
  const signedHeaders = names.join(';');
  const canonicalRequest = [
    request.method,
    uriEncode(request.path, true),
    canonicalQuery(request.query),
    names.map((n) => `${n}:${lower[n]}\n`).join(''),
    signedHeaders,
    request.payloadHash,
  ].join('\n');
  const scope = `${day}/${REGION}/s3/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, await sha256Hex(canonicalRequest)].join('\n');
  let signingKey = await hmac(encoder.encode(`AWS4${key.secretAccessKey}`), day);
  for (const part of [REGION, 's3', 'aws4_request']) {
    signingKey = await hmac(signingKey, part);
  }
  return { signature: hex(await hmac(signingKey, stringToSign)), signedHeaders, scope };
}

/** The `/s3/...` path of a bucket, or of an object in it (path style). */
export const s3Path = (bucket: string, key?: string) => (key === undefined ? `/s3/${bucket}` : `/s3/${bucket}/${key}`);

/**
 * A link anyone can GET the object with until it expires (1 s - 7 days, as S3), signed like
 * `aws s3 presign`: the signature covers the host only, the payload is not signed.
 */
export const presignGet = (key: AccessKey, origin: string, bucket: string, objectKey: string, expiresSeconds: number, now = new Date()) =>
  presign(key, origin, s3Path(bucket, objectKey), expiresSeconds, now);

/** A presigned GET URL of any path at `origin`. */
export async function presign(key: AccessKey, origin: string, path: string, expiresSeconds: number, now = new Date()) {
  if (!Number.isInteger(expiresSeconds) || expiresSeconds < 1 || expiresSeconds > 604_800) {
    throw new Error('A link lasts from 1 second to 7 days.');
  }
  const url = new URL(origin);
  const { amzDate, day } = amzDates(now);
  const query: Record<string, string> = {
    'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
    'X-Amz-Credential': `${key.accessKeyId}/${day}/${REGION}/s3/aws4_request`,
    'X-Amz-Date': amzDate,
    'X-Amz-Expires': String(expiresSeconds),
    'X-Amz-SignedHeaders': 'host',
  };
  const { signature } = await sign(key, day, amzDate, { method: 'GET', path, query, headers: { host: url.host }, payloadHash: 'UNSIGNED-PAYLOAD' });
  return `${url.origin}${uriEncode(path, true)}?${canonicalQuery(query)}&X-Amz-Signature=${signature}`;
}

/**
 * The headers that sign a request with the Authorization header (the browser adds Host itself, so
 * it is signed as `host` but not returned).
 */
export async function signedHeaders(
  key: AccessKey,
  host: string,
  method: string,
  path: string,
  query: Record<string, string>,
  body: string,
  extra: Record<string, string> = {},
  now = new Date(),
): Promise<Record<string, string>> {
  const { amzDate, day } = amzDates(now);
  const payloadHash = await sha256Hex(body);
  const headers = { ...extra, 'x-amz-date': amzDate, 'x-amz-content-sha256': payloadHash };
  const { signature, signedHeaders: names, scope } = await sign(key, day, amzDate, {
    method,
    path,
    query,
    headers: { ...headers, host },
    payloadHash,
  });
  return {
    ...headers,
    Authorization: `AWS4-HMAC-SHA256 Credential=${key.accessKeyId}/${scope}, SignedHeaders=${names}, Signature=${signature}`,
  };
}
