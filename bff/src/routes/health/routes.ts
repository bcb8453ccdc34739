import type { HealthResponse } from '@shared/api';
import { version } from '../../../../package.json';
import { defineRoute, type RouteDef } from '../route';

export const healthRoutes: RouteDef[] = [
  defineRoute({
    method: 'get',
    path: '/api/v1/health',
    summary: '服务健康状态：启动完成（ready）前 503 starting；版本与数据库往返时间',
    access: 'anyone',
    async handler(ctx) {
      const started = process.hrtime.bigint();
      const ok = await ctx.deps.conn.db!.admin().ping().then(() => true, () => false);
      const roundTripMs = Math.round(Number(process.hrtime.bigint() - started) / 1e4) / 100;
      const status: HealthResponse['status'] = !ctx.deps.startup.ready ? 'starting' : ok ? 'ready' : 'degraded';
      const body: HealthResponse = { status, version, db: { ok, roundTripMs } };
      ctx.status = status === 'ready' ? 200 : 503;
      if (status === 'starting') ctx.set('Retry-After', '1');
      ctx.body = body;
    },
  }),
];
