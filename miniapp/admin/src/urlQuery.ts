import { useCallback } from 'react';
import { useSearchParams } from 'react-router-dom';

export type QueryChanges = Record<string, string | number | undefined>;

/**
 * A screen's state in its URL (filters, page, sort, the open drawer or form), so a reload, a link
 * or a login round trip comes back to the same view. `set` changes some keys and keeps the rest; an
 * undefined or empty value removes its key.
 */
export function useUrlQuery(): [URLSearchParams, (changes: QueryChanges) => void] {
  const [params, setParams] = useSearchParams();
  const set = useCallback(
    (changes: QueryChanges) => {
      const next = new URLSearchParams(params);
      for (const [k, v] of Object.entries(changes)) (v === undefined || v === '' ? next.delete(k) : next.set(k, String(v)));
      setParams(next);
    },
    [params, setParams],
  );
  return [params, set];
}
