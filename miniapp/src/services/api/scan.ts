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

/**
 * The scan answer the server embedded in the page for `q` when it pre-rendered the verdict of a
 * label URL (bff/src/services/instrumentPage.ts), taken once; null in the mini-program or when absent.
 */
function embeddedScan(q: string): ScanResponse | null {
  if (typeof document === 'undefined') return null;
  const element = document.getElementById('cx-scan');
  if (!element || element.getAttribute('data-q') !== q) return null;
  element.remove();
  try {
    return JSON.parse(element.textContent ?? '') as ScanResponse;
  } catch {
    return null;
  }
}

/** Starts the scan call for `q` now (or takes the embedded answer), for the next `fetchScan(q)` to take (see services/prefetch.ts). */
export function prefetchScan(q: string): void {
  const embedded = embeddedScan(q);
  prefetch(scanKey(q), () => (embedded ? Promise.resolve(embedded) : request<ScanResponse>('/api/v1/scan', { query: { q } })));
}
