import { useCallback, useEffect, useState } from 'react';
import { ApiProblem, cachedAnswer, getJson, onTokenChange } from '../lib/api.ts';

/** The state of one GET: data once it came, the error if it failed, and whether it is loading. */
export interface ApiState<T> {
  readonly data: T | undefined;
  readonly error: ApiProblem | undefined;
  readonly loading: boolean;
  readonly reload: () => void;
}

/**
 * Loads JSON from a GET route (null url: nothing yet). A url answered before shows its
 * last answer at once while it revalidates by ETag, so moving between pages does not
 * flash a spinner; a new token reloads.
 */
export function useApi<T>(url: string | null): ApiState<T> {
  const [tick, setTick] = useState(0);
  const [state, setState] = useState<{ url: string | null; data: T | undefined; error: ApiProblem | undefined; loading: boolean }>(() => ({
    url,
    data: url ? cachedAnswer<T>(url) : undefined,
    error: undefined,
    loading: url !== null,
  }));
  const reload = useCallback(() => setTick((n) => n + 1), []);

  useEffect(() => onTokenChange(reload), [reload]);

  useEffect(() => {
    if (url === null) {
      setState({ url, data: undefined, error: undefined, loading: false });
      return;
    }
    const abort = new AbortController();
    setState((s) => ({ url, data: s.url === url ? s.data : cachedAnswer<T>(url), error: undefined, loading: true }));
    getJson<T>(url, abort.signal).then(
      (data) => {
        if (!abort.signal.aborted) setState({ url, data, error: undefined, loading: false });
      },
      (err: unknown) => {
        if (abort.signal.aborted) return;
        const problem = err instanceof ApiProblem ? err : new ApiProblem('BAD_ANSWER', String(err), 0);
        setState({ url, data: undefined, error: problem, loading: false });
      },
    );
    return () => abort.abort();
  }, [url, tick]);

  // Between a url change and its effect, do not show the previous url's data.
  const current = state.url === url;
  return { data: current ? state.data : url ? cachedAnswer<T>(url) : undefined, error: current ? state.error : undefined, loading: current ? state.loading : url !== null, reload };
}
