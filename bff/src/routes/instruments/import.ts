import { z } from 'zod';
import { importInstrumentsCsv } from '../../services/instrumentImport';
import { input, type RouteDef } from '../route';
import { ImportQuery } from './schema';

export const importRoutes: RouteDef[] = [
  {
    method: 'post',
    path: '/api/v1/admin/instruments/import',
    summary: 'CSV 批量导入器具（text/csv；有错误的文件默认整批不导入，?partial=1 只导入正确的行）',
    access: ['regulator', 'admin'],
    query: ImportQuery,
    body: z.string().min(1, 'CSV_REQUIRED'),
    rateLimit: { name: 'import', points: 30, windowSeconds: 60 },
    async handler(ctx) {
      const { partial } = input<z.infer<typeof ImportQuery>>(ctx, 'query');
      const report = await importInstrumentsCsv(ctx.deps.models, ctx.state.user, input<string>(ctx, 'body'), partial === '1');
      ctx.status = report.errors.length && partial !== '1' ? 400 : 200;
      ctx.body = ctx.status === 400 ? { error: { code: 'IMPORT_REJECTED', message: 'CSV 中有错误，未导入任何数据', details: report } } : report;
    },
  },
];
