import { Schema } from 'mongoose';

/** One verification (检定) result for an instrument, posted by a regulator or a verifier. */
export const verificationSchema = new Schema(
  {
    instrument: { type: Schema.Types.ObjectId, ref: 'Instrument', required: true },
    date: { type: Date, required: true },
    result: { type: String, enum: ['pass', 'fail'], required: true },
    institution: { type: String, required: true },
    certificateNo: { type: String, required: true },
    dueDate: { type: Date },
    verifier: { type: String },
  },
  { timestamps: true, autoIndex: false },
);
verificationSchema.index({ certificateNo: 1 }, { unique: true });
verificationSchema.index({ instrument: 1, date: -1 });
