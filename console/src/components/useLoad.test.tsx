import { act, renderHook, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/errors';
import { useLoad } from './useLoad';

describe('useLoad', () => {
  it('loads again after a change that succeeded, and says whether it did', async () => {
    let loads = 0;
    const { result } = renderHook(() => useLoad(async () => ++loads, []));
    await waitFor(() => expect(result.current.data).toBe(1));

    let ok = false;
    await act(async () => {
      ok = await result.current.act(async () => 'done');
    });
    expect(ok).toBe(true);
    expect(result.current.data).toBe(2);

    await act(async () => {
      ok = await result.current.act(async () => 'done', { reload: false });
    });
    expect(result.current.data).toBe(2);
  });

  it('keeps a failed change in words, with the request id, and does not load again', async () => {
    let loads = 0;
    const { result } = renderHook(() => useLoad(async () => ++loads, []));
    await waitFor(() => expect(result.current.data).toBe(1));

    let ok = true;
    await act(async () => {
      ok = await result.current.act(async () => {
        throw new ApiError('Queue exists', 409, 'QueueNameExists', 'req-7');
      });
    });
    expect(ok).toBe(false);
    expect(result.current.error).toBe('Queue exists (request req-7)');
    expect(result.current.busy).toBe(false);
    expect(result.current.data).toBe(1);
  });
});
