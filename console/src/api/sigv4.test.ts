import { describe, expect, it } from 'vitest';
import { amzDates, presign, presignGet, signedHeaders, uriEncode } from './sigv4';

// The examples of AWS's "Signature Calculations for the Authorization Header" and "Query String
// Authentication" pages (Amazon S3 API reference): their keys, time and expected signatures.
const KEY = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };
const AT = new Date('2013-05-24T00:00:00Z');

describe('SigV4', () => {
  it('presigns as AWS documents it', async () => {
    const url = new URL(await presign(KEY, 'https://examplebucket.s3.amazonaws.com', '/test.txt', 86400, AT));
    expect(url.pathname).toBe('/test.txt');
    expect(url.searchParams.get('X-Amz-Credential')).toBe('AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request');
    expect(url.searchParams.get('X-Amz-Expires')).toBe('86400');
    expect(url.searchParams.get('X-Amz-SignedHeaders')).toBe('host');
    expect(url.searchParams.get('X-Amz-Signature')).toBe('aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404');
  });

  it('signs a header-authorized request as AWS documents it', async () => {
    const headers = await signedHeaders(KEY, 'examplebucket.s3.amazonaws.com', 'GET', '/test.txt', {}, '', { range: 'bytes=0-9' }, AT);
    expect(headers['x-amz-content-sha256']).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(headers.Authorization).toBe(
      'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, ' +
        'SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, ' +
        'Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41',
    );
  });

  it('links an object under the gateway /s3 path, each key segment escaped once', async () => {
    const url = await presignGet(KEY, 'http://localhost:8080', 'files', 'docs/a b+c.txt', 300, AT);
    expect(url).toMatch(/^http:\/\/localhost:8080\/s3\/files\/docs\/a%20b%2Bc\.txt\?X-Amz-Algorithm=AWS4-HMAC-SHA256&/);
    expect(url).toContain('X-Amz-Expires=300');
  });

  it('refuses expiries S3 refuses', async () => {
    await expect(presignGet(KEY, 'http://gw', 'b', 'k', 0)).rejects.toThrow('1 second to 7 days');
    await expect(presignGet(KEY, 'http://gw', 'b', 'k', 604_801)).rejects.toThrow('1 second to 7 days');
  });

  it('encodes as RFC 3986 wants and dates as SigV4 does', () => {
    expect(uriEncode('a b/ü~*')).toBe('a%20b%2F%C3%BC~%2A');
    expect(uriEncode('a b/c', true)).toBe('a%20b/c');
    expect(amzDates(AT)).toEqual({ amzDate: '20130524T000000Z', day: '20130524' });
  });
});
