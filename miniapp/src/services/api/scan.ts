import type { ScanResponse } from '@shared/api';
import { prefetch, takePrefetched } from '../prefetch';
import { request, type Cancellation } from './transport';

const scanKey = (q: string) => `scan:${q}`;

/**
 * `GET /api/v1/scan`: what a QR URL, a code-with-signature, a bare code or an external code
 * resolves to. Public. Takes the answer `prefetchScan` started for the same `q`, if any.
 */
export function fetchScan(q: string, cancellation?: Cancellation): Promise<ScanResponse> {
  return takePrefetched<ScanResponse>(scanKey(q)) ?? request<ScanResponse>('/api/v1/scan', { query: { q }, cancellation });
}

/** Starts the scan call for `q` now, for the next `fetchScan(q)` to take (see services/prefetch.ts). */
export function prefetchScan(q: string): void {
  prefetch(scanKey(q), () => request<ScanResponse>('/api/v1/scan', { query: { q } }));
}
