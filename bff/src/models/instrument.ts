import { Schema } from 'mongoose';

/** A mandatory measuring instrument with its platform code (and codes other systems gave it). */
export const instrumentSchema = new Schema(
  {
    code: { type: String, required: true },
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
  },
  { timestamps: true, autoIndex: false },
);
instrumentSchema.index({ code: 1 }, { unique: true });
instrumentSchema.index({ externalCodes: 1 }, { unique: true, sparse: true });
instrumentSchema.index({ business: 1 });
instrumentSchema.index({ regionCode: 1, category: 1 });
