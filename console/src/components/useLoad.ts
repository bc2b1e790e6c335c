import { useCallback, useEffect, useState } from 'react';
import { describe } from '../api/errors';

/**
 * Loads data once and on reload(); the failure, if any, in words. `act` runs a change (create,
 * delete, send...) the same way every page wants it: busy while it runs, the failure in words
 * in `error`, the data loaded again after a success. It resolves with whether the change succeeded, so a
 * form knows whether to clear itself. `setData` changes what is shown without a load (a live event).
 */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]) {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [busy, setBusy] = useState(false);
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const run = useCallback(load, deps);
  const reload = useCallback(async () => {
    setLoading(true);
    try {
      setData(await run());
      setError(null);
    } catch (failure) {
      setError(describe(failure));
    } finally {
      setLoading(false);
    }
  }, [run]);
  useEffect(() => {
    void reload();
  }, [reload]);

  const act = useCallback(
    async (change: () => Promise<unknown>, options: { reload?: boolean } = {}): Promise<boolean> => {
      setBusy(true);
      setError(null);
      try {
        await change();
        if (options.reload !== false) {
          await reload();
        }
        return true;
      } catch (failure) {
        setError(describe(failure));
        return false;
      } finally {
        setBusy(false);
      }
    },
    [reload],
  );
  return { data, error, loading, busy, reload, setError, setData, act };
}

const NOTHING = async () => null;

/** `act` and its error and busy state for a panel that loads nothing itself. */
export const useActions = () => useLoad(NOTHING, []);
