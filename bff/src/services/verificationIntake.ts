import type { z } from 'zod';
import { dueDateFor } from '@shared/verification';
import { byExternalCode, type Models } from '../models';
import { VerificationRow } from '../routes/verifications/schema';

export interface IntakeReport {
  received: number;
  created: number;
  updated: number;
  unchanged: number;
  errors: Array<{ index: number; code: string; message: string; details?: unknown }>;
}

type Row = z.infer<typeof VerificationRow>;

/**
 * Takes a batch of verification results. Idempotent by certificate number: the same certificate
 * posted again changes nothing; a corrected one (same instrument) is updated; a certificate
 * number that already belongs to another instrument is refused for that row only.
 */
export async function takeVerifications(models: Models, rows: unknown[], institution: string, now = new Date()): Promise<IntakeReport> {
  const report: IntakeReport = { received: rows.length, created: 0, updated: 0, unchanged: 0, errors: [] };
  const parsed: Array<{ index: number; row: Row }> = [];
  const seen = new Map<string, number>();
  rows.forEach((raw, index) => {
    const result = VerificationRow.safeParse(raw);
    if (!result.success) {
      report.errors.push({ index, code: 'VALIDATION_FAILED', message: '字段不正确', details: result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) });
      return;
    }
    const row = result.data;
    if (row.date.getTime() > now.getTime() + 24 * 3600_000) return void report.errors.push({ index, code: 'DATE_IN_FUTURE', message: '检定日期晚于今天' });
    if (row.dueDate && row.dueDate <= row.date) return void report.errors.push({ index, code: 'DUE_BEFORE_DATE', message: '有效期至早于检定日期' });
    const earlier = seen.get(row.certificateNo);
    if (earlier !== undefined) return void report.errors.push({ index, code: 'DUPLICATE_IN_BATCH', message: `证书编号与第 ${earlier} 条重复` });
    seen.set(row.certificateNo, index);
    parsed.push({ index, row });
  });

  const codes = parsed.map((p) => p.row.instrumentCode);
  const instruments = await models.Instrument.find({ $or: [{ code: { $in: codes } }, byExternalCode({ $in: codes })] }, { code: 1, externalCodes: 1, category: 1 }).lean();
  const byCode = new Map<string, (typeof instruments)[number]>();
  for (const i of instruments) for (const c of [i.code, ...(i.externalCodes ?? [])]) byCode.set(c, i);
  const existing = await models.Verification.find({ certificateNo: { $in: parsed.map((p) => p.row.certificateNo) } }).lean();
  const byCertificate = new Map(existing.map((v) => [v.certificateNo, v]));

  for (const { index, row } of parsed) {
    const instrument = byCode.get(row.instrumentCode);
    if (!instrument) {
      report.errors.push({ index, code: 'INSTRUMENT_NOT_FOUND', message: `未找到器具 ${row.instrumentCode}` });
      continue;
    }
    const doc = {
      instrument: instrument._id,
      date: row.date,
      result: row.result,
      certificateNo: row.certificateNo,
      dueDate: row.dueDate ?? dueDateFor(instrument.category, row.date) ?? undefined,
      institution: row.institution ?? institution,
      verifier: row.verifier,
    };
    const before = byCertificate.get(row.certificateNo);
    if (!before) {
      await models.Verification.create(doc);
      report.created += 1;
    } else if (String(before.instrument) !== String(instrument._id)) {
      report.errors.push({ index, code: 'CERTIFICATE_CONFLICT', message: '该证书编号已属于另一台器具' });
    } else if (sameRecord(before, doc)) {
      report.unchanged += 1;
    } else {
      await models.Verification.updateOne({ _id: before._id }, { $set: doc });
      report.updated += 1;
    }
  }
  report.errors.sort((a, b) => a.index - b.index);
  return report;
}

function sameRecord(a: { date: Date; result: string; dueDate?: Date | null; institution: string; verifier?: string | null }, b: typeof a) {
  return (
    a.date.getTime() === b.date.getTime() &&
    a.result === b.result &&
    (a.dueDate?.getTime() ?? null) === (b.dueDate?.getTime() ?? null) &&
    a.institution === b.institution &&
    (a.verifier ?? undefined) === (b.verifier ?? undefined)
  );
}
