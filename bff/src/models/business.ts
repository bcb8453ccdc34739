import { Schema } from 'mongoose';

/** A business that uses mandatory instruments: a company (credit code) or a stall (platform id). */
export const businessSchema = new Schema(
  {
    creditCode: { type: String },
    platformId: { type: String },
    name: { type: String, required: true },
    industry: { type: String, required: true },
    regionCode: { type: String, required: true },
    address: { type: String, default: '' },
    location: {
      type: { type: String, enum: ['Point'], default: 'Point' },
      coordinates: { type: [Number] },
    },
    contacts: [{ _id: false, name: String, phone: String }],
    status: { type: String, enum: ['active', 'closed'], default: 'active' },
  },
  { timestamps: true, autoIndex: false },
);
businessSchema.index({ creditCode: 1 }, { unique: true, partialFilterExpression: { creditCode: { $type: 'string' } } });
businessSchema.index({ platformId: 1 }, { unique: true, partialFilterExpression: { platformId: { $type: 'string' } } });
businessSchema.index({ regionCode: 1, industry: 1 });
businessSchema.index({ location: '2dsphere' });
