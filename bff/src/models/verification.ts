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
 */
export const verificationSchema = new Schema(
  {
    instrument: { type: Schema.Types.ObjectId, ref: 'Instrument', required: true },
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
// The dashboard's 12-month trend reads the verifications of a date range.
verificationSchema.index({ date: 1 });
