import { describe, expect, it } from 'vitest';
import { formatHeaders, parseHeaders } from './webhooks';

describe('webhook headers', () => {
  it('reads one Name: value a line and writes them back the same way', () => {
    const headers = parseHeaders('Authorization: Bearer abc:def\n\n X-Team :billing \n');
    expect(headers).toEqual({ Authorization: 'Bearer abc:def', 'X-Team': 'billing' });
    expect(formatHeaders(headers)).toBe('Authorization: Bearer abc:def\nX-Team: billing');
    expect(formatHeaders(null)).toBe('');
    expect(parseHeaders('')).toEqual({});
  });

  it('says which line is not a header', () => {
    expect(() => parseHeaders('X-Ok: 1\nno colon here')).toThrow('“no colon here” is not a header');
    expect(() => parseHeaders(': value')).toThrow('is not a header');
  });
});
