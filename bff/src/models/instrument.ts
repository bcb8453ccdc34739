import { Schema } from 'mongoose';

/**
 * The instrument's current (latest) verification, copied from the verifications collection by
 * services/currentVerification.ts whenever one is written, so status filters and the dashboard
 * read indexed fields instead of joining verifications. `dueDate` is the effective due date
 * (the certificate's, else the category cycle's; null: never due by the calendar). An instrument
 * without verifications stores `current: null`; a missing `current` means "not yet filled" (a
 * database of an earlier version) and is filled at start-up (fillMissingCurrent).
 */
const currentVerificationSchema = new Schema(
  {
    verificationId: { type: Schema.Types.ObjectId, required: true },
    date: { type: Date, required: true },
    result: { type: String, enum: ['pass', 'fail'], required: true },
    dueDate: { type: Date, default: null },
    institution: { type: String },
    certificateNo: { type: String },
  },
  { _id: false },
);

/** A mandatory measuring instrument with its platform code (and codes other systems gave it). */
export const instrumentSchema = new Schema(
  {
    code: { type: String, required: true },
    /** Codes other systems gave the instrument; most instruments have none (an empty array). */
    externalCodes: { type: [String], default: [] },
    category: { type: String, required: true },
    model: { type: String, default: '' },
    serial: { type: String, default: '' },
    manufacturer: { type: String, default: '' },
    business: { type: Schema.Types.ObjectId, ref: 'Business', required: true },
    /** Copied from the business: region scoping and the shard key need it on the instrument. */
    regionCode: { type: String, required: true },
    installLocation: { type: String, default: '' },
    status: { type: String, enum: ['in_use', 'suspended', 'retired'], default: 'in_use' },
    likes: { type: Number, default: 0 },
    current: { type: currentVerificationSchema, default: null },
  },
  { timestamps: true, autoIndex: false },
);

/**
 * What the external-code index holds: instruments with at least one external code. A sparse
 * index would not do: MongoDB indexes an empty array (as `undefined`), so a unique sparse index
 * admits only one instrument without external codes.
 */
const HAS_EXTERNAL_CODES = { 'externalCodes.0': { $exists: true } } as const;

instrumentSchema.index({ code: 1 }, { unique: true });
instrumentSchema.index({ externalCodes: 1 }, { unique: true, partialFilterExpression: HAS_EXTERNAL_CODES });
instrumentSchema.index({ business: 1 });
instrumentSchema.index({ regionCode: 1, category: 1 });
// Status filters (instrumentStatus.ts): lifecycle, result, then a range of effective due dates;
// with the region first for mongod's multi-field bounds, and without it for region-wide scopes.
instrumentSchema.index({ regionCode: 1, status: 1, 'current.result': 1, 'current.dueDate': 1 });
instrumentSchema.index({ status: 1, 'current.result': 1, 'current.dueDate': 1 });

/**
 * The filter for instruments holding an external code (one, or any of `{ $in: [...] }`). It
 * repeats the index's partial filter because MongoDB's planner uses a partial index only for a
 * query that states its filter: `{ externalCodes: 'X' }` alone would scan the collection.
 */
export function byExternalCode(code: string | { $in: string[] }) {
  return { externalCodes: code, ...HAS_EXTERNAL_CODES };
}
