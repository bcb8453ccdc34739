import { scanInstrument } from '../../services/scan';
import { SCAN_RATE_LIMIT } from '../../middleware/rateLimit';
import { defineRoute, type RouteDef } from '../route';
import { ScanQuery } from '@shared/requests/scan';

/** Per client (user, or IP when anonymous): generous for a person, a wall for a scraper. */

export const scanRoutes: RouteDef[] = [
  defineRoute({
    method: 'get',
    path: '/api/v1/scan',
    summary: '扫码或输入识别码，查询器具的检定状态与标签真伪',
    access: 'anyone',
    query: ScanQuery,
    rateLimit: SCAN_RATE_LIMIT,
    async handler(ctx, input) {
      const { q } = input.query;
      ctx.body = await scanInstrument(ctx.deps.models, q, ctx.deps.config.qrSigningSecret);
    },
  }),
];
