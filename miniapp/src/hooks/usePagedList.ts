import { useCallback, useEffect, useRef, useState } from 'react';
import type { ListResponse } from '@shared/api';
import { ApiError, CANCELLED, Cancellation, asApiError } from '../services/api/transport';

/**
 * A list read page by page:
 * - `loading` / `failed` are about the first page (the page shows Loading or ErrorState);
 * - once `loaded`, `more` says what is happening at the bottom: `idle` (more can be asked for),
 *   `loading` (the next page is on its way), `failed` (with the error, retried by `loadMore`),
 *   `end` (every item is shown).
 */
export type PagedListState<T> =
  | { kind: 'loading' }
  | { kind: 'failed'; error: ApiError }
  | { kind: 'loaded'; items: T[]; total: number; more: MoreState };

export type MoreState = { kind: 'idle' } | { kind: 'loading' } | { kind: 'failed'; error: ApiError } | { kind: 'end' };

export interface UsePagedList<T> {
  state: PagedListState<T>;
  /** Ask for the next page (加载更多, or 重试 after a failed page); ignored while one is on its way or at the end. */
  loadMore: () => void;
  /**
   * For `useReachBottom`: the next page, unless the last one failed. Then only 重试 asks again,
   * so a visitor who is offline is not sent a request (and a new error) at every scroll.
   */
  onReachBottom: () => void;
  /** Start again from the first page. */
  reload: () => void;
}

type FetchPage<T> = (page: number, cancellation: Cancellation) => Promise<ListResponse<T>> | null;

/**
 * Infinite scroll over a `{ items, total, page, pageSize }` endpoint. When `deps` change (a new
 * query or filter) the list starts again from page 1 and whatever the old query still had on its
 * way is cancelled, so a late answer can never mix two queries' results. `fetchPage` returning
 * null means "nothing to ask": the list is then empty.
 */
export function usePagedList<T>(fetchPage: FetchPage<T>, deps: readonly unknown[]): UsePagedList<T> {
  const [state, setState] = useState<PagedListState<T>>({ kind: 'loading' });
  const [generation, setGeneration] = useState(0);
  const fetchRef = useRef(fetchPage);
  fetchRef.current = fetchPage;
  /** The query now shown: its cancellation, the last page loaded, whether a page is on its way. */
  const current = useRef({ cancellation: new Cancellation(), page: 0, busy: false });

  const load = useCallback((page: number, cancellation: Cancellation) => {
    const pending = fetchRef.current(page, cancellation);
    if (!pending) {
      setState({ kind: 'loaded', items: [], total: 0, more: { kind: 'end' } });
      return;
    }
    current.current.busy = true;
    pending.then(
      (answer) => {
        if (cancellation.cancelled) return;
        current.current.busy = false;
        current.current.page = page;
        setState((previous) => {
          const before = page > 1 && previous.kind === 'loaded' ? previous.items : [];
          const items = [...before, ...answer.items];
          // An empty page also ends the list: rows deleted meanwhile must not make it ask forever.
          const end = items.length >= answer.total || answer.items.length === 0;
          return { kind: 'loaded', items, total: answer.total, more: { kind: end ? 'end' : 'idle' } };
        });
      },
      (error: unknown) => {
        const apiError = asApiError(error);
        if (cancellation.cancelled || apiError.code === CANCELLED) return;
        current.current.busy = false;
        setState((previous) =>
          page > 1 && previous.kind === 'loaded' ? { ...previous, more: { kind: 'failed', error: apiError } } : { kind: 'failed', error: apiError },
        );
      },
    );
  }, []);

  useEffect(() => {
    const cancellation = new Cancellation();
    current.current = { cancellation, page: 0, busy: false };
    setState({ kind: 'loading' });
    load(1, cancellation);
    return () => cancellation.cancel();
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the caller's deps decide when to start again
  }, [...deps, generation, load]);

  const stateRef = useRef(state);
  stateRef.current = state;

  const loadMore = useCallback(() => {
    const { cancellation, page, busy } = current.current;
    const shown = stateRef.current;
    if (busy || cancellation.cancelled || page === 0 || shown.kind !== 'loaded' || shown.more.kind === 'end') return;
    setState({ ...shown, more: { kind: 'loading' } });
    load(page + 1, cancellation);
  }, [load]);

  const onReachBottom = useCallback(() => {
    const shown = stateRef.current;
    if (shown.kind === 'loaded' && shown.more.kind === 'failed') return;
    loadMore();
  }, [loadMore]);

  const reload = useCallback(() => setGeneration((n) => n + 1), []);
  return { state, loadMore, onReachBottom, reload };
}
