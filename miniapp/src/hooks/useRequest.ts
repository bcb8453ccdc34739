import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError, CANCELLED, Cancellation, asApiError } from '../services/api/transport';

export type RequestState<T> =
  | { kind: 'loading' }
  | { kind: 'loaded'; data: T }
  | { kind: 'failed'; error: ApiError };

export interface UseRequest<T> {
  state: RequestState<T>;
  /** Ask again (after a failure, or to refresh). */
  reload: () => void;
  /** Replace the loaded data in place (after an action changed it, e.g. a like). */
  update: (change: (data: T) => T) => void;
}

/**
 * The one way a page loads data: `fetcher` runs when `deps` change (and on `reload`); what an
 * unmounted page or a superseded call asked for is cancelled, its answer never shown.
 * `fetcher` returning null means "nothing to ask" (e.g. a missing parameter) and `missing` is
 * shown as the failure.
 */
export function useRequest<T>(
  fetcher: (cancellation: Cancellation) => Promise<T> | null,
  deps: readonly unknown[],
  missing?: ApiError,
): UseRequest<T> {
  const [state, setState] = useState<RequestState<T>>({ kind: 'loading' });
  const [attempt, setAttempt] = useState(0);
  const fetcherRef = useRef(fetcher);
  fetcherRef.current = fetcher;

  useEffect(() => {
    const cancellation = new Cancellation();
    const pending = fetcherRef.current(cancellation);
    if (!pending) {
      setState({ kind: 'failed', error: missing ?? new ApiError('MISSING_PARAMETER', '缺少参数', 400) });
      return undefined;
    }
    setState({ kind: 'loading' });
    pending.then(
      (data) => !cancellation.cancelled && setState({ kind: 'loaded', data }),
      (error: unknown) => {
        const apiError = asApiError(error);
        if (!cancellation.cancelled && apiError.code !== CANCELLED) setState({ kind: 'failed', error: apiError });
      },
    );
    return () => cancellation.cancel();
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the caller's deps decide when to ask again
  }, [...deps, attempt]);

  const reload = useCallback(() => setAttempt((n) => n + 1), []);
  const update = useCallback((change: (data: T) => T) => {
    setState((current) => (current.kind === 'loaded' ? { kind: 'loaded', data: change(current.data) } : current));
  }, []);
  return { state, reload, update };
}
