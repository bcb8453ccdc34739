import { Schema } from 'mongoose';

/** A verification institution's API key; only the SHA-256 of the key is kept. */
export const apiKeySchema = new Schema(
  {
    name: { type: String, required: true },
    institution: { type: String, required: true },
    prefix: { type: String, required: true },
    hash: { type: String, required: true },
    createdBy: { type: Schema.Types.ObjectId, ref: 'User' },
    revokedAt: { type: Date },
    lastUsedAt: { type: Date },
  },
  { timestamps: true, autoIndex: false },
);
apiKeySchema.index({ hash: 1 }, { unique: true });
