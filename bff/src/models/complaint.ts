import type { Connection } from 'mongoose';
import { Schema } from 'mongoose';
import { COMPLAINT_CATEGORY_IDS, COMPLAINT_STATUS_IDS } from '@shared/complaints';

const historyEntrySchema = new Schema(
  {
    status: { type: String, enum: COMPLAINT_STATUS_IDS, required: true },
    at: { type: Date, required: true },
    /** What the handler wrote for the complainant (shown to them). */
    note: { type: String },
    /** What handlers wrote for each other; never shown to the complainant. */
    internalNote: { type: String },
    /** The staff account that made the change; absent for the complainant's own submission. */
    by: { type: Schema.Types.ObjectId, ref: 'User' },
  },
  { _id: false },
);

/**
 * A complaint from the public about one instrument or a business as a whole (12315 flow). The
 * business's region is copied in: regulators see complaints of their region, and a shard key by
 * region keeps a region's complaints together. The complainant's user id and contact are private:
 * presenters never let them out.
 */
export const complaintSchema = new Schema(
  {
    /** `TS` + China day + 6 random digits (see shared/complaints.ts); unique. */
    trackingNo: { type: String, required: true },
    user: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    business: { type: Schema.Types.ObjectId, ref: 'Business', required: true },
    regionCode: { type: String, required: true },
    /** Set when the complaint is about one instrument; its code and category as they were then. */
    instrument: { type: Schema.Types.ObjectId, ref: 'Instrument' },
    instrumentCode: { type: String },
    instrumentCategory: { type: String },
    category: { type: String, enum: COMPLAINT_CATEGORY_IDS, required: true },
    content: { type: String, required: true },
    /** Phone or WeChat id for a call back: handlers only. */
    contact: { type: String },
    /** GridFS ids in the `complaintPhotos` bucket. */
    photos: { type: [Schema.Types.ObjectId], default: [] },
    status: { type: String, enum: COMPLAINT_STATUS_IDS, default: 'submitted' },
    history: { type: [historyEntrySchema], default: [] },
  },
  { timestamps: true, autoIndex: false },
);
complaintSchema.index({ trackingNo: 1 }, { unique: true });
/** "My complaints", newest first. */
complaintSchema.index({ user: 1, _id: -1 });
/** Regulators' queues: their region, by status. */
complaintSchema.index({ regionCode: 1, status: 1, _id: -1 });
complaintSchema.index({ business: 1, _id: -1 });

/**
 * Complaint photos live in GridFS (mongodb driver GridFSBucket) in this bucket: files in
 * `complaintPhotos.files` with `metadata: { ownerId, contentType, attached }`, bytes in
 * `complaintPhotos.chunks`. The driver makes the bucket's own indexes on first upload.
 */
export const COMPLAINT_PHOTO_BUCKET = 'complaintPhotos';

/** Indexes on the bucket's files for what the BFF asks: a user's unattached photos, and stale ones to delete. */
export async function ensureComplaintPhotoIndexes(conn: Connection): Promise<void> {
  const files = conn.db!.collection(`${COMPLAINT_PHOTO_BUCKET}.files`);
  await files.createIndex({ 'metadata.ownerId': 1, 'metadata.attached': 1 });
  await files.createIndex({ 'metadata.attached': 1, uploadDate: 1 });
}
