import type { ClientConfigResponse } from '@shared/api';
import { defineRoute, type RouteDef } from '../route';

/** What the H5 app learns at run time, so one build serves every deployment. Public: nothing secret here. */
export const clientConfigRoutes: RouteDef[] = [
  defineRoute({
    method: 'get',
    path: '/api/v1/client-config',
    summary: 'H5 运行时设置：附近页地图瓦片地址（未配置为 null，只显示列表）',
    access: 'anyone',
    async handler(ctx) {
      const body: ClientConfigResponse = { mapTileUrl: ctx.deps.config.mapTileUrl };
      ctx.body = body;
    },
  }),
];
