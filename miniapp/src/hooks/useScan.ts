import { useCallback, useEffect, useState } from 'react';
import type { ScanResponse } from '@shared/api';
import { ApiError, fetchScan } from '../services/api';

export type ScanState =
  | { kind: 'loading' }
  | { kind: 'loaded'; scan: ScanResponse }
  | { kind: 'failed'; error: ApiError };

const MISSING_Q = new ApiError('MISSING_CODE', '没有收到识别码，请重新扫码或输入识别码', 400);

/** Resolves `q` (QR content or typed code) through the scan endpoint; `reload` tries again after a failure. */
export function useScan(q: string): { state: ScanState; reload: () => void } {
  const [state, setState] = useState<ScanState>({ kind: 'loading' });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    if (!q) {
      setState({ kind: 'failed', error: MISSING_Q });
      return undefined;
    }
    let current = true;
    setState({ kind: 'loading' });
    fetchScan(q).then(
      (scan) => current && setState({ kind: 'loaded', scan }),
      (error: unknown) => current && setState({ kind: 'failed', error: asApiError(error) }),
    );
    return () => {
      current = false;
    };
  }, [q, attempt]);

  const reload = useCallback(() => setAttempt((n) => n + 1), []);
  return { state, reload };
}

function asApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  return new ApiError('CLIENT_ERROR', error instanceof Error ? error.message : String(error), 0);
}
