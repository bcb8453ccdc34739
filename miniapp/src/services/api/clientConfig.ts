import type { ClientConfigResponse } from '@shared/api';
import { request, type Cancellation } from './transport';

/** `GET /api/v1/client-config`: the deployment's run-time settings for the H5 app (map tiles). */
export function fetchClientConfig(cancellation?: Cancellation): Promise<ClientConfigResponse> {
  return request<ClientConfigResponse>('/api/v1/client-config', { cancellation });
}
