import type { Types } from 'mongoose';
import type { ScanResponse, SignatureState } from '@shared/api';
import { parseScanQuery } from '@shared/scan';
import { isTrustworthy, verificationStatus } from '@shared/verification';
import { badRequest, notFound } from '../errors';
import { byExternalCode, type Models } from '../models';
import { presentBusinessSummary, presentInstrument, presentVerification, type BusinessFields, type InstrumentFields, type VerificationFields } from '../presenters/registry';
import { isGenuineSignature } from './labelSignature';

const instrumentNotFound = () => notFound('INSTRUMENT_NOT_FOUND', '未找到该计量器具');

/**
 * What `q` names — a platform code with or without its label signature, a label URL, or another
 * system's code — as a filter on instruments; 400 when it cannot name an instrument.
 */
export function instrumentLookup(q: string) {
  const parsed = parseScanQuery(q);
  if (!parsed.ok) throw badRequest(parsed.reason === 'BAD_QUERY' || parsed.reason === 'FOREIGN_URL' ? parsed.reason : 'INVALID_CODE', parsed.message, { reason: parsed.reason });
  const filter = parsed.kind === 'platform' ? { code: parsed.code } : byExternalCode(parsed.value);
  return { parsed, filter };
}

/**
 * The truth about one instrument as a scan shows it. The hot path of the product: one indexed
 * lookup for the instrument, then the business and the latest verification side by side.
 */
export async function scanInstrument(models: Models, q: string, secret: string, asOf = new Date()): Promise<ScanResponse> {
  const { parsed, filter } = instrumentLookup(q);
  const instrument = await models.Instrument.findOne(filter).lean<InstrumentFields & { status: 'in_use' | 'suspended' | 'retired' }>();
  if (!instrument) throw instrumentNotFound();
  let signature: SignatureState = 'absent';
  if (parsed.kind === 'platform' && (parsed.sig !== null || parsed.fromUrl)) {
    signature = parsed.sig !== null && isGenuineSignature(parsed.code, parsed.sig, secret) ? 'valid' : 'invalid';
  }
  return describeInstrument(models, instrument, signature, asOf);
}

export async function describeInstrument(
  models: Models,
  instrument: InstrumentFields & { status: 'in_use' | 'suspended' | 'retired' },
  signature: SignatureState,
  asOf = new Date(),
): Promise<ScanResponse> {
  const [business, latest] = await Promise.all([
    models.Business.findById(instrument.business as Types.ObjectId).lean<BusinessFields>(),
    models.Verification.findOne({ instrument: instrument._id as Types.ObjectId }).sort({ date: -1 }).lean<VerificationFields & { result: 'pass' | 'fail' }>(),
  ]);
  if (!business) throw instrumentNotFound();
  const status = verificationStatus(instrument, latest ? [latest] : [], asOf);
  return {
    instrument: presentInstrument(instrument),
    business: presentBusinessSummary(business),
    latestVerification: latest ? presentVerification(latest) : null,
    status,
    signature,
    trustworthy: isTrustworthy(signature, status),
  };
}
