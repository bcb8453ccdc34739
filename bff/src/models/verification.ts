import { Schema } from 'mongoose';

/** A version of a verification that an amendment replaced, as it was. */
const supersededVersionSchema = new Schema(
  {
    revision: { type: Number, required: true },
    instrument: { type: Schema.Types.ObjectId, ref: 'Instrument', required: true },
    date: { type: Date, required: true },
    result: { type: String, enum: ['pass', 'fail'], required: true },
    institution: { type: String, required: true },
    dueDate: { type: Date },
    verifier: { type: String },
    postedBy: { type: String },
    /** When this version was replaced. */
    supersededAt: { type: Date, required: true },
  },
  { _id: false },
);

/**
 * One verification (检定) result for an instrument, posted by a verification institution. The
 * document is the current version of its certificate; it belongs to `institution`, the institution
 * of the API key or account that first posted it, and only that institution may amend it. Every
 * amendment keeps the version it replaced in `amendments` (oldest first).
 *
 * `business` and `regionCode` are copies of the instrument's, so the dashboard and the staff list
 * read a region's verifications by index instead of joining every instrument. They are kept equal
 * to the instrument's: the intake writes them, services/currentVerification.ts
 * `refreshCurrentVerifications` (which every writer of verifications calls, in its transaction)
 * repairs any that differ, and a business's region move (services/businesses.ts) moves its
 * verifications in the same transaction as its instruments. Documents of an earlier version lack
 * them; `fillVerificationScope` fills them at ensureIndexes, which runs before the server listens,
 * so region isolation may rely on them. A verification without them (an instrument that no longer
 * exists) belongs to no region and is counted nowhere, as before.
 */
export const verificationSchema = new Schema(
  {
    instrument: { type: Schema.Types.ObjectId, ref: 'Instrument', required: true },
    /** The instrument's business and region, copied (see above). */
    business: { type: Schema.Types.ObjectId, ref: 'Business' },
    regionCode: { type: String },
    date: { type: Date, required: true },
    result: { type: String, enum: ['pass', 'fail'], required: true },
    institution: { type: String, required: true },
    certificateNo: { type: String, required: true },
    dueDate: { type: Date },
    verifier: { type: String },
    /** The API key (`apikey:<id>`) or user id that posted this version. */
    postedBy: { type: String },
    /** 1 for the first version, +1 per amendment; amendments are conditional on it. */
    revision: { type: Number, default: 1 },
    amendments: { type: [supersededVersionSchema], default: [] },
  },
  { timestamps: true, autoIndex: false },
);
verificationSchema.index({ certificateNo: 1 }, { unique: true });
verificationSchema.index({ instrument: 1, date: -1 });
// The staff list (newest first: date, then _id) and the dashboard's 12-month trend: a region's
// verifications of a date range, all the country's, and one business's (also its region move).
verificationSchema.index({ regionCode: 1, date: -1, _id: -1 });
verificationSchema.index({ date: -1, _id: -1 });
verificationSchema.index({ business: 1, date: -1, _id: -1 });
