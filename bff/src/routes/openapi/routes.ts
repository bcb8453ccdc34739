import type { RouteDef } from '../route';
import { openApiDocument } from './document';

/** Built lazily from the full table (passed in by routes/index.ts to avoid an import cycle). */
export function openApiRoutes(all: () => readonly RouteDef[]): RouteDef[] {
  let cached: unknown;
  return [
    {
      method: 'get',
      path: '/api/openapi.json',
      summary: '整个接口的 OpenAPI 文档（由 zod 校验模式生成）',
      access: 'anyone',
      async handler(ctx) {
        cached ??= openApiDocument(all());
        ctx.body = cached;
      },
    },
  ];
}
