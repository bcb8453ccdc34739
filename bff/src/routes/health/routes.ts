import type { HealthResponse } from '@shared/api';
import { version } from '../../../../package.json';
import type { RouteDef } from '../route';

export const healthRoutes: RouteDef[] = [
  {
    method: 'get',
    path: '/api/v1/health',
    summary: '服务健康状态：版本与数据库往返时间',
    access: 'anyone',
    async handler(ctx) {
      const started = process.hrtime.bigint();
      const ok = await ctx.deps.conn.db!.admin().ping().then(() => true, () => false);
      const roundTripMs = Math.round(Number(process.hrtime.bigint() - started) / 1e4) / 100;
      const body: HealthResponse = { status: ok ? 'ok' : 'degraded', version, db: { ok, roundTripMs } };
      ctx.status = ok ? 200 : 503;
      ctx.body = body;
    },
  },
];
