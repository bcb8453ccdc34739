import type { Types } from 'mongoose';
import type { z } from 'zod';
import type { SessionUser } from '@shared/api';
import { chinaDayNumber, dueDateFor } from '@shared/verification';
import { AppError } from '../errors';
import { byExternalCode, type Models } from '../models';
import { VerificationRow } from '@shared/requests/verifications';
import { refreshCurrentVerifications } from './currentVerification';

export interface RowError {
  index: number;
  code: string;
  message: string;
  details?: unknown;
}

/** Every row of a batch ends up in exactly one of created, updated, unchanged or errors. */
export interface IntakeReport {
  received: number;
  created: number;
  updated: number;
  unchanged: number;
  errors: RowError[];
}

/**
 * Who posts: the institution comes from the API key or the verifier account, never from a row.
 * An admin acts for no institution of its own and must name one in each row.
 */
export interface Poster {
  institution: string | null;
  postedBy: string;
}

export async function posterOf(models: Models, user: SessionUser): Promise<Poster> {
  if (user.role === 'admin') return { institution: null, postedBy: user.id };
  const institution = user.institution ?? (await recordedInstitution(models, user.id));
  if (!institution) throw new AppError(403, 'INSTITUTION_UNKNOWN', '该账号未登记所属检定机构，不能上报检定结果，请联系管理员');
  return { institution, postedBy: user.id };
}

/** Until the session carries it: the institution on the API key or the verifier's account. */
async function recordedInstitution(models: Models, id: string): Promise<string | undefined> {
  if (id.startsWith('apikey:')) return (await models.ApiKey.findById(id.slice('apikey:'.length), { institution: 1 }).lean())?.institution;
  return (await models.User.findById(id, { institution: 1 }).lean())?.institution ?? undefined;
}

type Row = z.infer<typeof VerificationRow>;

/** The fields of the current version of a certificate, as written. */
interface Version {
  instrument: Types.ObjectId;
  /** Copies of the instrument's (models/verification.ts); refreshCurrentVerifications repairs them in its transaction. */
  business: Types.ObjectId;
  regionCode: string;
  date: Date;
  result: 'pass' | 'fail';
  institution: string;
  certificateNo: string;
  dueDate?: Date;
  verifier?: string;
  postedBy: string;
}

interface Stored extends Omit<Version, 'postedBy' | 'dueDate' | 'verifier' | 'business' | 'regionCode'> {
  _id: Types.ObjectId;
  dueDate?: Date | null;
  verifier?: string | null;
  postedBy?: string | null;
  revision?: number | null;
}

interface Pending {
  index: number;
  version: Version;
}

const DAY_MS = 24 * 3600_000;

const rowError = {
  ownedByOther: (index: number): RowError => ({ index, code: 'CERTIFICATE_OWNED_BY_OTHER', message: '该证书编号属于其他检定机构，只有出具机构可以更正' }),
  conflict: (index: number): RowError => ({ index, code: 'CERTIFICATE_CONFLICT', message: '该证书编号已属于另一台器具' }),
  concurrent: (index: number): RowError => ({ index, code: 'CONCURRENT_WRITE', message: '该证书正被同时更正，请稍后重发' }),
  writeFailed: (index: number): RowError => ({ index, code: 'WRITE_FAILED', message: '该条未能写入' }),
  unconfirmed: (index: number): RowError => ({ index, code: 'WRITE_UNCONFIRMED', message: '数据库暂不可用，该条未确认写入，请稍后重发（按证书编号幂等，重发不会重复）' }),
  notStored: (index: number): RowError => ({ index, code: 'NOT_STORED', message: '数据库暂不可用，该条未写入，请稍后重发' }),
};

/**
 * Takes a batch of verification results and answers every row's fate, also when a parallel batch
 * or a database failure interferes. Idempotent by certificate number: the same certificate posted
 * again changes nothing; the institution that owns a certificate may amend it (same instrument),
 * keeping the version it replaces; anyone else's row with that number is refused for that row only.
 * New certificates are written by one unordered bulk insert whose per-row errors land in the report.
 */
export async function takeVerifications(models: Models, rows: unknown[], poster: Poster): Promise<IntakeReport> {
  const report: IntakeReport = { received: rows.length, created: 0, updated: 0, unchanged: 0, errors: [] };
  const parsed = parseRows(rows, poster, report);
  const pending = await resolveInstruments(models, parsed, poster, report);

  const existing = await findByCertificate(models, pending.map((p) => p.version.certificateNo));
  const inserts: Pending[] = [];
  const amends: Array<Pending & { before: Stored }> = [];
  for (const p of pending) {
    const before = existing.get(p.version.certificateNo);
    if (!before) inserts.push(p);
    else decide(p, before, report, amends);
  }

  const writer = new Writer(models, report);
  const raced = await writer.insert(inserts);
  if (raced.length) {
    // A parallel batch created these certificates between our read and our insert: judge them again.
    const winners = await findByCertificate(models, raced.map((p) => p.version.certificateNo)).catch(() => null);
    if (!winners) writer.databaseFailed = true;
    for (const p of raced) {
      if (!winners) {
        report.errors.push(rowError.notStored(p.index));
        continue;
      }
      const before = winners.get(p.version.certificateNo);
      if (before) decide(p, before, report, amends);
      else report.errors.push(rowError.concurrent(p.index));
    }
  }
  for (const a of amends) await writer.amend(a, a.before);
  // Every instrument a row named, also for unchanged re-posts: re-posting repairs an instrument
  // whose facts a failure left behind. If the database stopped answering, the rows' fates are
  // already in the report; the facts wait for the re-post the report asks for.
  if (!writer.databaseFailed) await refreshCurrentVerifications(models, pending.map((p) => p.version.instrument));
  report.errors.sort((a, b) => a.index - b.index);
  return report;
}

function parseRows(rows: unknown[], poster: Poster, report: IntakeReport): Array<{ index: number; row: Row; institution: string }> {
  const parsed: Array<{ index: number; row: Row; institution: string }> = [];
  const seen = new Map<string, number>();
  rows.forEach((raw, index) => {
    const result = VerificationRow.safeParse(raw);
    if (!result.success) {
      report.errors.push({ index, code: 'VALIDATION_FAILED', message: '字段不正确', details: result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) });
      return;
    }
    const row = result.data;
    if (poster.institution && row.institution && row.institution !== poster.institution) {
      return void report.errors.push({ index, code: 'INSTITUTION_MISMATCH', message: `检定机构与账号所属机构（${poster.institution}）不一致` });
    }
    const institution = poster.institution ?? row.institution;
    if (!institution) return void report.errors.push({ index, code: 'INSTITUTION_REQUIRED', message: '请注明检定机构' });
    const earlier = seen.get(row.certificateNo);
    if (earlier !== undefined) return void report.errors.push({ index, code: 'DUPLICATE_IN_BATCH', message: `证书编号与第 ${earlier} 条重复` });
    seen.set(row.certificateNo, index);
    parsed.push({ index, row, institution });
  });
  return parsed;
}

/** Finds each row's instrument (a platform code wins over an equal external code) and completes its due date. */
async function resolveInstruments(models: Models, parsed: ReturnType<typeof parseRows>, poster: Poster, report: IntakeReport): Promise<Pending[]> {
  const codes = parsed.map((p) => p.row.instrumentCode);
  const instruments = codes.length
    ? await models.Instrument.find({ $or: [{ code: { $in: codes } }, byExternalCode({ $in: codes })] }, { code: 1, externalCodes: 1, category: 1, business: 1, regionCode: 1 }).lean()
    : [];
  const byCode = new Map<string, (typeof instruments)[number]>();
  for (const i of instruments) for (const c of i.externalCodes ?? []) byCode.set(c, i);
  for (const i of instruments) byCode.set(i.code, i);

  const pending: Pending[] = [];
  for (const { index, row, institution } of parsed) {
    const instrument = byCode.get(row.instrumentCode);
    if (!instrument) {
      report.errors.push({ index, code: 'INSTRUMENT_NOT_FOUND', message: `未找到器具 ${row.instrumentCode}` });
      continue;
    }
    const latestDue = latestPlausibleDueDate(instrument.category, row.date);
    if (row.dueDate && latestDue && chinaDayNumber(row.dueDate) > chinaDayNumber(latestDue)) {
      report.errors.push({ index, code: 'DUE_DATE_OUT_OF_RANGE', message: '有效期至超过该类器具检定周期的两倍' });
      continue;
    }
    const version: Version = {
      instrument: instrument._id,
      business: instrument.business,
      regionCode: instrument.regionCode,
      date: row.date,
      result: row.result,
      institution,
      certificateNo: row.certificateNo,
      dueDate: row.dueDate ?? dueDateFor(instrument.category, row.date) ?? undefined,
      verifier: row.verifier,
      postedBy: poster.postedBy,
    };
    pending.push({ index, version });
  }
  return pending;
}

/** Twice the category's cycle after the verification date; null for categories without a cycle. */
function latestPlausibleDueDate(category: string, date: Date): Date | null {
  const once = dueDateFor(category, date);
  return once && dueDateFor(category, new Date(once.getTime() + DAY_MS));
}

async function findByCertificate(models: Models, certificateNos: string[]): Promise<Map<string, Stored>> {
  if (!certificateNos.length) return new Map();
  const found = await models.Verification.find({ certificateNo: { $in: certificateNos } }, { amendments: 0 }).lean<Stored[]>();
  return new Map(found.map((v) => [v.certificateNo, v]));
}

/** An existing certificate: only its owner may change it, and only on the same instrument. */
function decide(p: Pending, before: Stored, report: IntakeReport, amends: Array<Pending & { before: Stored }>): void {
  if (before.institution !== p.version.institution) report.errors.push(rowError.ownedByOther(p.index));
  else if (String(before.instrument) !== String(p.version.instrument)) report.errors.push(rowError.conflict(p.index));
  else if (sameVersion(before, p.version)) report.unchanged += 1;
  else amends.push({ ...p, before });
}

function sameVersion(a: Stored, b: Version) {
  return (
    a.date.getTime() === b.date.getTime() &&
    a.result === b.result &&
    (a.dueDate?.getTime() ?? null) === (b.dueDate?.getTime() ?? null) &&
    (a.verifier ?? undefined) === (b.verifier ?? undefined)
  );
}

/**
 * The write phase. Once the database stops answering, the rows already sent are reported as
 * unconfirmed and the rest as not stored; nothing is left unaccounted for.
 */
class Writer {
  /** Set once the database stopped answering: later rows are not attempted. */
  databaseFailed = false;

  constructor(
    private readonly models: Models,
    private readonly report: IntakeReport,
  ) {}

  /** Inserts new certificates in one unordered bulk write; returns the rows a parallel batch beat us to. */
  async insert(rows: Pending[]): Promise<Pending[]> {
    if (!rows.length) return [];
    const raced: Pending[] = [];
    try {
      await this.models.Verification.bulkWrite(
        rows.map((r) => ({ insertOne: { document: r.version } })),
        { ordered: false },
      );
      this.report.created += rows.length;
    } catch (err) {
      const outcome = perRowOutcome(err, rows.length);
      if (!outcome.accounted) this.databaseFailed = true;
      for (const [i, r] of rows.entries()) {
        const code = outcome.writeErrors.get(i);
        if (code === 11000) raced.push(r);
        else if (code !== undefined) this.report.errors.push(rowError.writeFailed(r.index));
        else if (outcome.accounted) this.report.created += 1;
        else this.report.errors.push(rowError.unconfirmed(r.index));
      }
    }
    return raced;
  }

  /** Replaces the owner's current version, keeping it in `amendments`; conditional on the revision read. */
  async amend(p: Pending, before: Stored): Promise<void> {
    if (this.databaseFailed) return void this.report.errors.push(rowError.notStored(p.index));
    const revision = before.revision ?? null;
    const superseded = {
      revision: revision ?? 1,
      instrument: before.instrument,
      date: before.date,
      result: before.result,
      institution: before.institution,
      dueDate: before.dueDate ?? undefined,
      verifier: before.verifier ?? undefined,
      postedBy: before.postedBy ?? undefined,
      supersededAt: new Date(),
    };
    try {
      const res = await this.models.Verification.updateOne(
        { _id: before._id, institution: before.institution, revision: revision === null ? { $exists: false } : revision },
        { $set: { ...p.version, verifier: p.version.verifier ?? null, dueDate: p.version.dueDate ?? null, revision: (revision ?? 1) + 1 }, $push: { amendments: superseded } },
      );
      if (res.matchedCount === 1) this.report.updated += 1;
      else this.report.errors.push(rowError.concurrent(p.index));
    } catch (err) {
      if ((err as { name?: string }).name === 'MongoServerError') return void this.report.errors.push(rowError.writeFailed(p.index));
      this.databaseFailed = true;
      this.report.errors.push(rowError.unconfirmed(p.index));
    }
  }
}

/**
 * What a failed bulk write tells about each operation: its per-operation errors by index, and
 * whether every other operation is known to be written (write errors + inserted = all). A bulk
 * error cut by a lost connection carries no write errors and nothing inserted: every row's fate
 * is then unknown.
 */
function perRowOutcome(err: unknown, operations: number): { writeErrors: Map<number, number>; accounted: boolean } {
  const e = err as { name?: string; writeErrors?: Array<{ index: number; code: number }> | { index: number; code: number }; insertedCount?: number };
  if (e?.name !== 'MongoBulkWriteError' || !e.writeErrors) return { writeErrors: new Map(), accounted: false };
  const list = Array.isArray(e.writeErrors) ? e.writeErrors : [e.writeErrors];
  const writeErrors = new Map(list.map((w) => [w.index, w.code]));
  return { writeErrors, accounted: writeErrors.size + (e.insertedCount ?? 0) === operations };
}
