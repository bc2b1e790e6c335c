import { describe, expect, it } from 'vitest';
import { corsRule, corsRules, corsXml, expirationRule, lifecycleRules, lifecycleXml, S3Bucket } from './s3config';

const KEY = { accessKeyId: 'CKEXAMPLE', secretAccessKey: 'secret' };
const NS = 'xmlns="http://s3.amazonaws.com/doc/2006-03-01/"';
const parse = (xml: string) => new DOMParser().parseFromString(xml, 'application/xml');

const LIFECYCLE = `<LifecycleConfiguration ${NS}>
  <Rule><ID>logs</ID><Filter><Prefix>logs/</Prefix></Filter><Status>Enabled</Status><Expiration><Days>30</Days></Expiration></Rule>
  <Rule><ID>big</ID><Filter><ObjectSizeGreaterThan>1000</ObjectSizeGreaterThan></Filter><Status>Disabled</Status>
    <NoncurrentVersionExpiration><NoncurrentDays>7</NoncurrentDays></NoncurrentVersionExpiration></Rule>
</LifecycleConfiguration>`;

describe('bucket settings', () => {
  it('reads lifecycle rules and keeps the ones the console cannot edit as they were', () => {
    const rules = lifecycleRules(parse(LIFECYCLE));
    expect(rules.map((r) => [r.id, r.enabled, r.filter, r.actions])).toEqual([
      ['logs', true, 'prefix logs/', 'expire after 30 days'],
      ['big', false, 'tags or size', 'old versions after 7 days'],
    ]);
    const again = lifecycleRules(parse(lifecycleXml([rules[1].xml, expirationRule('tmp', 'tmp/', 1)])));
    expect(again.map((r) => r.id)).toEqual(['big', 'tmp']);
    expect(again[0].xml).toBe(rules[1].xml);
    expect(again[0].xml).not.toContain('xmlns');
    expect(lifecycleRules(null)).toEqual([]);
  });

  it('builds rules from the forms, escaped, and refuses what S3 would', () => {
    expect(expirationRule('a<b', 'x&y/', 3)).toBe(
      '<Rule><ID>a&lt;b</ID><Filter><Prefix>x&amp;y/</Prefix></Filter><Status>Enabled</Status><Expiration><Days>3</Days></Expiration></Rule>',
    );
    expect(() => expirationRule(' ', '', 3)).toThrow('needs an ID');
    expect(() => expirationRule('a', '', 0)).toThrow('at least 1');
    expect(() => corsRule('', ['GET'], '', null)).toThrow('origin');
    expect(() => corsRule('https://a', [], '', null)).toThrow('method');
    const cors = corsRules(parse(corsXml([corsRule('https://a.test, https://b.test', ['GET', 'PUT'], '*', 600)])));
    expect(cors).toEqual([
      expect.objectContaining({ origins: ['https://a.test', 'https://b.test'], methods: ['GET', 'PUT'], headers: ['*'], maxAgeSeconds: 600 }),
    ]);
  });

  it('signs its S3 calls, reads a missing configuration as none and an S3 error in words', async () => {
    const sent: { url: string; init: RequestInit }[] = [];
    const answers = [
      new Response('<Error><Code>NoSuchLifecycleConfiguration</Code><Message>none</Message></Error>', { status: 404 }),
      new Response(null, { status: 200 }),
      new Response('<Error><Code>MalformedXML</Code><Message>The XML you provided was not well-formed</Message></Error>', { status: 400 }),
      new Response('<Error><Code>NoSuchBucket</Code><Message>The specified bucket does not exist</Message></Error>', { status: 404 }),
    ];
    const s3 = new S3Bucket(KEY, 'site', 'http://gw.test', async (url, init) => {
      sent.push({ url: String(url), init: init ?? {} });
      return answers.shift()!;
    });
    expect(await s3.get('lifecycle')).toBeNull();
    await s3.put('cors', '<CORSConfiguration/>');
    await expect(s3.put('lifecycle', '<x/>')).rejects.toThrow('The XML you provided was not well-formed (MalformedXML)');
    await expect(s3.get('cors')).rejects.toThrow('NoSuchBucket');
    expect(sent.map((s) => `${s.init.method} ${s.url}`)).toEqual(['GET /s3/site?lifecycle', 'PUT /s3/site?cors', 'PUT /s3/site?lifecycle', 'GET /s3/site?cors']);
    const headers = sent[1].init.headers as Record<string, string>;
    expect(headers.Authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=CKEXAMPLE\/\d{8}\/us-east-1\/s3\/aws4_request, SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date, Signature=[0-9a-f]{64}$/);
    expect(sent[1].init.body).toBe('<CORSConfiguration/>');
    expect(sent[1].init.credentials).toBe('omit');
  });
});
