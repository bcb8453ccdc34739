import { PassThrough } from 'node:stream';
import { categoryName } from '@shared/catalogue';
import type { Context } from 'koa';
import type { Types } from 'mongoose';
import { AppError } from '../../errors';
import { ConcurrencyLimit } from '../../middleware/rateLimit';
import { LABELS_PER_SHEET, labelPng, labelSheetPdf, labelSvg, type LabelData } from '../../services/labels';
import { labelUrl } from '../../services/labelSignature';
import { labelSheetFilter } from '../../services/instrumentList';
import { loadVisibleInstrument } from '../../services/registry';
import { LABEL_COUNT_HEADER, LABEL_PAGES_HEADER, LABEL_SHEET_IN_PROGRESS, LabelParams, LabelSheetQuery } from '@shared/requests/instruments';
import { defineRoute, type RouteDef } from '../route';

const STAFF = ['regulator', 'admin'] as const;

/**
 * A sheet of 5,000 labels holds tens of MB while it streams: one sheet at a time per user, two
 * per process; a caller over it is asked to come back when a sheet is likely done.
 */
const sheetSlots = new ConcurrencyLimit({ perKey: 1, total: 2 });
const SHEET_BUSY_RETRY_SECONDS = 10;
/** 429 RATE_LIMITED like any limit, with a reason a client can tell apart from "too many sheets". */
const sheetInProgress = () =>
  new AppError(
    429,
    'RATE_LIMITED',
    '另一份标签正在生成，请稍后再试',
    { retryAfterSeconds: SHEET_BUSY_RETRY_SECONDS, reason: LABEL_SHEET_IN_PROGRESS },
    { 'Retry-After': String(SHEET_BUSY_RETRY_SECONDS) },
  );
const sheetRateLimit = { name: 'label-sheets', points: 20, windowSeconds: 600 };

async function labelFor(ctx: Context, instrument: { code: string; category: string; business: unknown }, businessName?: string): Promise<LabelData> {
  const name = businessName ?? (await ctx.deps.models.Business.findById(instrument.business as Types.ObjectId, { name: 1 }).lean())?.name ?? '';
  const { publicBaseUrl, qrSigningSecret } = ctx.deps.config;
  return {
    code: instrument.code,
    url: labelUrl(publicBaseUrl, instrument.code, qrSigningSecret),
    categoryName: categoryName(instrument.category) ?? instrument.category,
    businessName: name,
  };
}

export const labelRoutes: RouteDef[] = [
  defineRoute({
    method: 'get',
    path: '/api/v1/admin/instruments/:id/label.:format',
    summary: '单个器具的二维码标签（PNG 或 SVG）',
    access: STAFF,
    params: LabelParams,
    async handler(ctx, input) {
      const { id, format } = input.params;
      const label = await labelFor(ctx, await loadVisibleInstrument(ctx.deps.models, ctx.state.user, id));
      ctx.set('Content-Disposition', `inline; filename="label-${label.code}.${format}"`);
      if (format === 'svg') {
        ctx.type = 'image/svg+xml';
        ctx.body = await labelSvg(label);
      } else {
        ctx.type = 'image/png';
        ctx.body = await labelPng(label);
      }
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/admin/labels.pdf',
    summary: '批量打印标签：A4 PDF，边生成边下载（最多 5000 张）',
    access: STAFF,
    query: LabelSheetQuery,
    rateLimit: sheetRateLimit,
    async handler(ctx, input) {
      const { limit } = input.query;
      const filter = labelSheetFilter(ctx.state.user, input.query);
      const { Instrument, Business } = ctx.deps.models;
      // Counted first with the same filter, so a client can show how far the sheet has come.
      const count = Math.min(await Instrument.countDocuments(filter), limit);
      // Taken last, after anything that may throw: the slot is given back when the sheet ends.
      const release = sheetSlots.tryAcquire(ctx.state.user.id);
      if (!release) throw sheetInProgress();
      const cursor = Instrument.find(filter, { code: 1, category: 1, business: 1 }).sort({ business: 1, code: 1 }).limit(limit).lean().cursor({ batchSize: 200 });
      const names = new Map<string, string>();
      async function* labels() {
        for await (const i of cursor) {
          const key = String(i.business);
          if (!names.has(key)) names.set(key, (await Business.findById(i.business, { name: 1 }).lean())?.name ?? '');
          yield await labelFor(ctx, i, names.get(key));
        }
      }
      const out = new PassThrough();
      ctx.type = 'application/pdf';
      ctx.set('Content-Disposition', 'attachment; filename="labels.pdf"');
      ctx.set(LABEL_COUNT_HEADER, String(count));
      ctx.set(LABEL_PAGES_HEADER, String(Math.max(1, Math.ceil(count / LABELS_PER_SHEET))));
      ctx.body = out;
      labelSheetPdf(labels(), out, { title: '计量器具诚信标签' })
        .catch((err) => {
          ctx.state.log?.error({ err }, 'label sheet failed');
          out.destroy(err);
        })
        .finally(release);
    },
  }),
];
