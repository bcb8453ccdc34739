import { categoryById } from '@shared/catalogue';
import { makeInstrumentCode, parseInstrumentCode } from '@shared/instrumentCode';
import type { ClientSession, Types } from 'mongoose';
import { badRequest, conflict } from '../errors';
import type { SessionUser } from '@shared/api';
import { byExternalCode, type Models } from '../models';
import { assertVisible } from '../policies';
import type { InstrumentFields } from '../presenters/registry';

export interface NewInstrument {
  business: Types.ObjectId;
  regionCode: string;
  category: string;
  code?: string;
  externalCodes: string[];
  model: string;
  serial: string;
  manufacturer: string;
  installLocation: string;
}

/**
 * Issues the next platform code for a region and category: an atomic counter per pair, skipping
 * serials already taken by codes that were imported with their own code.
 */
export async function issueInstrumentCode(models: Models, regionCode: string, categoryId: string): Promise<string> {
  const category = categoryById(categoryId);
  if (!category) throw badRequest('UNKNOWN_CATEGORY', '未知的器具类别');
  for (let attempt = 0; attempt < 1000; attempt += 1) {
    const counter = await models.Counter.findOneAndUpdate(
      { _id: `instrument:${regionCode}:${category.code}` },
      { $inc: { seq: 1 } },
      { upsert: true, returnDocument: 'after' },
    ).lean();
    const code = makeInstrumentCode({ regionCode, categoryCode: category.code, serial: counter!.seq });
    if (!(await codeInUse(models, code))) return code;
  }
  throw conflict('CODE_SPACE_EXHAUSTED', '无法分配识别码');
}

/** Why a given code cannot belong to this instrument, or null when it fits. */
export function codeMismatch(code: string, regionCode: string, categoryId: string): { code: string; message: string } | null {
  const parsed = parseInstrumentCode(code);
  if (!parsed.ok) return { code: `INVALID_CODE`, message: parsed.message };
  if (parsed.value.categoryCode !== categoryById(categoryId)?.code) return { code: 'CODE_CATEGORY_MISMATCH', message: '识别码中的类别与器具类别不一致' };
  if (parsed.value.regionCode !== regionCode) return { code: 'CODE_REGION_MISMATCH', message: '识别码中的地区与经营者所在地区不一致' };
  return null;
}

/**
 * Every platform code and every external code is one namespace: a code may belong to one
 * instrument only, whichever field holds it. Returns the codes among these (platform or
 * external) that some other instrument already holds in either field.
 */
export async function takenCodes(models: Models, codes: string[], externalCodes: string[], excludeId?: Types.ObjectId): Promise<string[]> {
  const wanted = [...new Set([...codes, ...externalCodes])];
  if (!wanted.length) return [];
  const filter: Record<string, unknown> = { $or: [{ code: { $in: wanted } }, byExternalCode({ $in: wanted })] };
  if (excludeId) filter._id = { $ne: excludeId };
  const found = await models.Instrument.find(filter, { code: 1, externalCodes: 1 }).lean();
  const held = new Set(found.flatMap((i) => [i.code, ...(i.externalCodes ?? [])]));
  return wanted.filter((c) => held.has(c));
}

async function codeInUse(models: Models, code: string): Promise<boolean> {
  return Boolean(await models.Instrument.exists({ $or: [{ code }, byExternalCode(code)] }));
}

export async function insertInstruments(models: Models, rows: NewInstrument[], session?: ClientSession) {
  const docs = [];
  for (const row of rows) docs.push({ ...row, code: row.code ?? (await issueInstrumentCode(models, row.regionCode, row.category)) });
  return models.Instrument.insertMany(docs, { session, ordered: true });
}

/** An instrument as staff see it: its region decides who may. */
export type StaffInstrument = InstrumentFields & { regionCode: string; business: Types.ObjectId };

/** The instrument, when it exists and lies in the caller's region; else 404 (never 403: no probing). */
export async function loadVisibleInstrument(models: Models, user: SessionUser, id: string): Promise<StaffInstrument> {
  const found = await models.Instrument.findById(id).lean<StaffInstrument>();
  return assertVisible(user, found, 'INSTRUMENT_NOT_FOUND', '未找到该计量器具');
}
