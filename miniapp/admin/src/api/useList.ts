import type { ListResponse } from '@shared/api';
import { useEffect, useState } from 'react';
import type { Query } from './transport';

export interface ListState<T> {
  data: ListResponse<T> | null;
  loading: boolean;
  error: string | null;
}

/** Loads one page of a server-side list whenever the query changes; the previous page stays shown while loading. */
export function useList<T>(load: (query: Query, signal: AbortSignal) => Promise<ListResponse<T>>, query: Query, reload = 0): ListState<T> {
  const [state, setState] = useState<ListState<T>>({ data: null, loading: true, error: null });
  const key = JSON.stringify(query);
  useEffect(() => {
    const ctrl = new AbortController();
    setState((s) => ({ ...s, loading: true, error: null }));
    load(JSON.parse(key) as Query, ctrl.signal)
      .then((data) => setState({ data, loading: false, error: null }))
      .catch((err: Error) => {
        if (err.name !== 'AbortError') setState((s) => ({ ...s, loading: false, error: err.message }));
      });
    return () => ctrl.abort();
  }, [load, key, reload]);
  return state;
}
