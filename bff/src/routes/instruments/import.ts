import { z } from 'zod';
import { readRequestBytes } from '../../middleware/body';
import { decodeCsv, importInstrumentsCsv, MAX_IMPORT_BYTES } from '../../services/instrumentImport';
import { defineRoute, type RouteDef } from '../route';
import { ImportQuery } from '@shared/requests/instruments';

export const importRoutes: RouteDef[] = [
  defineRoute({
    method: 'post',
    path: '/api/v1/admin/instruments/import',
    summary: 'CSV 批量导入器具（text/csv；有错误的文件默认整批不导入，?partial=1 只导入正确的行）',
    access: ['regulator', 'admin'],
    query: ImportQuery,
    body: z.string().min(1, 'CSV_REQUIRED').describe('CSV text: UTF-8 (with or without BOM), UTF-16 with BOM, or GBK/GB18030; a declared charset is honoured'),
    rawBody: { mediaType: 'text/csv' },
    rateLimit: { name: 'import', points: 30, windowSeconds: 60 },
    async handler(ctx, input) {
      const { partial } = input.query;
      const csv = decodeCsv(await readRequestBytes(ctx, MAX_IMPORT_BYTES), ctx.request.charset || undefined);
      const report = await importInstrumentsCsv(ctx.deps.models, ctx.state.user, csv, partial === '1');
      ctx.status = report.errors.length && partial !== '1' ? 400 : 200;
      ctx.body = ctx.status === 400 ? { error: { code: 'IMPORT_REJECTED', message: 'CSV 中有错误，未导入任何数据', details: report } } : report;
    },
  }),
];
