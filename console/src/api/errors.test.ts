import { describe as suite, expect, it } from 'vitest';
import { apiError, ApiError, describe, messageOf } from './errors';

suite('messageOf: each family envelope in words', () => {
  it('reads DockSaaS (000): error.message, code and requestId', () => {
    const body = {
      error: { code: 'BucketNotEmpty', message: 'The bucket you tried to delete is not empty', details: {} },
      requestId: 'r-1',
    };
    expect(messageOf(body)).toEqual({
      message: 'The bucket you tried to delete is not empty',
      code: 'BucketNotEmpty',
      requestId: 'r-1',
    });
  });

  it('reads EventFlow (001): the message beside the reason phrase', () => {
    expect(messageOf({ error: 'Bad Request', message: 'name is required' }).message).toBe('name is required');
  });

  it('reads Auto-Update (002): message, code in error, request id in meta', () => {
    const body = {
      success: false,
      message: 'Invalid email or password',
      error: { code: 'UNAUTHORIZED', details: 'Invalid email or password' },
      meta: { request_id: 'r-2' },
    };
    expect(messageOf(body)).toEqual({ message: 'Invalid email or password', code: 'UNAUTHORIZED', requestId: 'r-2' });
  });

  it('reads Auto-Update (002) validation errors with each field named', () => {
    const body = {
      success: false,
      message: 'Validation failed',
      error: { code: 'VALIDATION_ERROR', details: 'Validation failed', fields: { username: ['is required'], password: ['is required', 'too short'] } },
    };
    expect(messageOf(body).message).toBe('Validation failed: username is required; password is required, too short');
  });

  it('reads multi-tenant (003): error as a string', () => {
    expect(messageOf({ status: 'failure', error: 'Tenant not found', data: null }).message).toBe('Tenant not found');
  });

  it('reads Cloud Integration (004): error.message', () => {
    expect(messageOf({ success: false, error: { message: 'Too many requests' } }).message).toBe('Too many requests');
  });

  it('finds nothing in bodies that are not envelopes', () => {
    expect(messageOf(null)).toEqual({});
    expect(messageOf('<html>')).toEqual({});
    expect(messageOf({ error: '' }).message).toBeUndefined();
  });
});

suite('apiError', () => {
  it('falls back to words for the status when the body says nothing', () => {
    expect(apiError(503, null).message).toBe('The service is not available right now.');
    expect(apiError(418, null).message).toBe('Request failed (HTTP 418).');
  });

  it('adds the wait of a 429 from Retry-After', () => {
    const error = apiError(429, { error: { code: 'TooManyRequests', message: 'Rate limit exceeded' } }, '17');
    expect(error.message).toBe('Rate limit exceeded Try again in 17 s.');
    expect(error.status).toBe(429);
    expect(error.code).toBe('TooManyRequests');
  });
});

suite('describe', () => {
  it('names the request id so support can find it', () => {
    expect(describe(new ApiError('Not found.', 404, 'NotFound', 'abc'))).toBe('Not found. (request abc)');
  });

  it('turns a network failure (fetch TypeError) into words', () => {
    expect(describe(new TypeError('Failed to fetch'))).toBe('The gateway cannot be reached.');
  });
});
