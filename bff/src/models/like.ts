import { Schema } from 'mongoose';

/**
 * One user's like of one instrument on one China calendar day. The unique index on
 * (instrument, user, day) is what makes "one like a day" hold, also for two taps that race:
 * the instrument's `likes` counter moves only in the transaction that inserted the like.
 */
export const likeSchema = new Schema(
  {
    instrument: { type: Schema.Types.ObjectId, ref: 'Instrument', required: true },
    user: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    /** China calendar day, `YYYY-MM-DD` (Asia/Shanghai). */
    day: { type: String, required: true },
    /** Copied from the instrument when liked, so "my likes" and later statistics need no join. */
    business: { type: Schema.Types.ObjectId, ref: 'Business', required: true },
    code: { type: String, required: true },
    category: { type: String, required: true },
  },
  { timestamps: { createdAt: true, updatedAt: false }, autoIndex: false, versionKey: false },
);
likeSchema.index({ instrument: 1, user: 1, day: 1 }, { unique: true });
/** "My likes", newest first. */
likeSchema.index({ user: 1, _id: -1 });
