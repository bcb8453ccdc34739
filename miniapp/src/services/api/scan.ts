import type { ScanResponse } from '@shared/api';
import { request, type Cancellation } from './transport';

/** `GET /api/v1/scan`: what a QR URL, a code-with-signature, a bare code or an external code resolves to. Public. */
export function fetchScan(q: string, cancellation?: Cancellation): Promise<ScanResponse> {
  return request<ScanResponse>('/api/v1/scan', { query: { q }, cancellation });
}
