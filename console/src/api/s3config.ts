import type { ApiClient } from './client';
import { signedHeaders, s3Path, type AccessKey } from './sigv4';

/** An instance's S3 access key pairs (auth-service, docs/identity.md "S3 access keys"). */
export interface AccessKeyInfo {
  accessKeyId: string;
  serviceId: string;
  createdAt: string;
}

const credentialsPath = (serviceId: string) => `/api/services/${encodeURIComponent(serviceId)}/s3-credentials`;

export const listAccessKeys = (api: ApiClient, serviceId: string) => api.json<AccessKeyInfo[]>('GET', credentialsPath(serviceId));

/** A new pair; its secret is in this answer only. */
export const createAccessKey = (api: ApiClient, serviceId: string) =>
  api.json<AccessKeyInfo & AccessKey>('POST', credentialsPath(serviceId), {});

export const revokeAccessKey = (api: ApiClient, serviceId: string, accessKeyId: string) =>
  api.json<void>('DELETE', `${credentialsPath(serviceId)}/${encodeURIComponent(accessKeyId)}`);

const S3_NS = 'http://s3.amazonaws.com/doc/2006-03-01/';

/** An element as XML text, without the namespace declaration the configuration's root gives it. */
const serialize = (element: Element) => new XMLSerializer().serializeToString(element).replace(` xmlns="${S3_NS}"`, '');

/** S3's XML error as an Error in words. */
export class S3Error extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(`${message} (${code})`);
  }
}

/**
 * Bucket sub-resources (`?lifecycle`, `?cors`) exist on the S3 protocol only, so they are read and
 * written there, signed with an access key of the instance (held in memory by the page).
 */
export class S3Bucket {
  constructor(
    private readonly key: AccessKey,
    private readonly bucket: string,
    private readonly origin: string = window.location.origin,
    private readonly fetchFn: typeof fetch = (input, init) => fetch(input, init),
  ) {}

  /** The sub-resource's XML; null when the bucket has none (S3's 404 NoSuch...). */
  async get(resource: string): Promise<Document | null> {
    const response = await this.send('GET', resource, '');
    if (response.status === 404) {
      const error = await parseError(response);
      if (error.code.startsWith('NoSuch') && error.code !== 'NoSuchBucket') {
        return null;
      }
      throw error;
    }
    return parseXml(await response.text());
  }

  async put(resource: string, xml: string): Promise<void> {
    await this.send('PUT', resource, xml, { 'content-type': 'application/xml' });
  }

  async delete(resource: string): Promise<void> {
    await this.send('DELETE', resource, '');
  }

  private async send(method: string, resource: string, body: string, extra: Record<string, string> = {}): Promise<Response> {
    const path = s3Path(this.bucket);
    const host = new URL(this.origin).host;
    const headers = await signedHeaders(this.key, host, method, path, { [resource]: '' }, body, extra);
    const response = await this.fetchFn(`${path}?${resource}`, {
      method,
      headers,
      body: method === 'PUT' ? body : undefined,
      credentials: 'omit',
    });
    if (!response.ok && response.status !== 404) {
      throw await parseError(response);
    }
    return response;
  }
}

function parseXml(text: string): Document {
  return new DOMParser().parseFromString(text, 'application/xml');
}

async function parseError(response: Response): Promise<S3Error> {
  const doc = parseXml(await response.text());
  const text = (name: string) => doc.getElementsByTagName(name)[0]?.textContent ?? '';
  return new S3Error(response.status, text('Code') || `HTTP ${response.status}`, text('Message') || 'The S3 request failed');
}

const child = (element: Element, name: string) => Array.from(element.children).find((c) => c.localName === name) ?? null;
const children = (element: Element, name: string) => Array.from(element.children).filter((c) => c.localName === name);
const textOf = (element: Element | null, name: string) => (element && child(element, name)?.textContent) ?? null;

/** A rule as read: its XML (kept as is, so rules the console cannot edit survive a change) and a summary. */
export interface LifecycleRule {
  id: string;
  enabled: boolean;
  filter: string;
  actions: string;
  xml: string;
}

export function lifecycleRules(doc: Document | null): LifecycleRule[] {
  if (!doc) {
    return [];
  }
  return children(doc.documentElement, 'Rule').map((rule) => {
    const filter = child(rule, 'Filter');
    const prefix = textOf(filter, 'Prefix') ?? textOf(rule, 'Prefix');
    const actions = [
      textOf(child(rule, 'Expiration'), 'Days') && `expire after ${textOf(child(rule, 'Expiration'), 'Days')} days`,
      textOf(child(rule, 'Expiration'), 'Date') && `expire on ${textOf(child(rule, 'Expiration'), 'Date')}`,
      textOf(child(rule, 'NoncurrentVersionExpiration'), 'NoncurrentDays') &&
        `old versions after ${textOf(child(rule, 'NoncurrentVersionExpiration'), 'NoncurrentDays')} days`,
      textOf(child(rule, 'AbortIncompleteMultipartUpload'), 'DaysAfterInitiation') &&
        `abort uploads after ${textOf(child(rule, 'AbortIncompleteMultipartUpload'), 'DaysAfterInitiation')} days`,
    ].filter(Boolean);
    return {
      id: textOf(rule, 'ID') ?? '',
      enabled: textOf(rule, 'Status') === 'Enabled',
      filter: prefix ? `prefix ${prefix}` : filter && filter.children.length > 0 ? 'tags or size' : 'whole bucket',
      actions: actions.join(', ') || '—',
      xml: serialize(rule),
    };
  });
}

const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** A rule that expires the objects under a prefix after some days. */
export function expirationRule(id: string, prefix: string, days: number): string {
  if (!id.trim()) {
    throw new Error('A rule needs an ID.');
  }
  if (!Number.isInteger(days) || days < 1) {
    throw new Error('Days must be a whole number of at least 1.');
  }
  return (
    `<Rule><ID>${escapeXml(id.trim())}</ID><Filter><Prefix>${escapeXml(prefix)}</Prefix></Filter>` +
    `<Status>Enabled</Status><Expiration><Days>${days}</Days></Expiration></Rule>`
  );
}

/** The whole configuration from its rules' XML; the namespace of each rule as read is kept. */
export const lifecycleXml = (rules: string[]) => `<LifecycleConfiguration xmlns="${S3_NS}">${rules.join('')}</LifecycleConfiguration>`;

export interface CorsRule {
  origins: string[];
  methods: string[];
  headers: string[];
  maxAgeSeconds: number | null;
  xml: string;
}

export function corsRules(doc: Document | null): CorsRule[] {
  if (!doc) {
    return [];
  }
  return children(doc.documentElement, 'CORSRule').map((rule) => ({
    origins: children(rule, 'AllowedOrigin').map((e) => e.textContent ?? ''),
    methods: children(rule, 'AllowedMethod').map((e) => e.textContent ?? ''),
    headers: children(rule, 'AllowedHeader').map((e) => e.textContent ?? ''),
    maxAgeSeconds: textOf(rule, 'MaxAgeSeconds') ? Number(textOf(rule, 'MaxAgeSeconds')) : null,
    xml: serialize(rule),
  }));
}

export const CORS_METHODS = ['GET', 'PUT', 'POST', 'DELETE', 'HEAD'];

/** A CORS rule from the form's words: origins and headers split at commas and spaces. */
export function corsRule(origins: string, methods: string[], headers: string, maxAgeSeconds: number | null): string {
  const split = (text: string) => text.split(/[\s,]+/).filter(Boolean);
  const originList = split(origins);
  if (originList.length === 0) {
    throw new Error('A CORS rule needs at least one origin.');
  }
  if (methods.length === 0) {
    throw new Error('A CORS rule needs at least one method.');
  }
  return (
    '<CORSRule>' +
    originList.map((o) => `<AllowedOrigin>${escapeXml(o)}</AllowedOrigin>`).join('') +
    methods.map((m) => `<AllowedMethod>${m}</AllowedMethod>`).join('') +
    split(headers)
      .map((h) => `<AllowedHeader>${escapeXml(h)}</AllowedHeader>`)
      .join('') +
    (maxAgeSeconds ? `<MaxAgeSeconds>${maxAgeSeconds}</MaxAgeSeconds>` : '') +
    '</CORSRule>'
  );
}

export const corsXml = (rules: string[]) => `<CORSConfiguration xmlns="${S3_NS}">${rules.join('')}</CORSConfiguration>`;
