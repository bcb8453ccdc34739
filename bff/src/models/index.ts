import type { Connection, InferSchemaType } from 'mongoose';
import { userSchema } from './user';
import { businessSchema } from './business';
import { instrumentSchema } from './instrument';
import { verificationSchema } from './verification';
import { apiKeySchema } from './apiKey';
import { counterSchema } from './counter';
import { likeSchema } from './like';
import { complaintSchema, ensureComplaintPhotoIndexes } from './complaint';
import { articleSchema } from './article';
import { fillMissingCurrent, fillVerificationScope } from '../services/currentVerification';

export { byExternalCode } from './instrument';
export { locationAt } from './business';

export type UserDoc = InferSchemaType<typeof userSchema>;
export type BusinessDoc = InferSchemaType<typeof businessSchema>;
export type InstrumentDoc = InferSchemaType<typeof instrumentSchema>;
export type VerificationDoc = InferSchemaType<typeof verificationSchema>;
export type ApiKeyDoc = InferSchemaType<typeof apiKeySchema>;
export type LikeDoc = InferSchemaType<typeof likeSchema>;
export type ComplaintDoc = InferSchemaType<typeof complaintSchema>;
export type ArticleDoc = InferSchemaType<typeof articleSchema>;

/** All models bound to one connection, so tests can run several apps on several databases. */
export function createModels(conn: Connection) {
  return {
    User: conn.model('User', userSchema),
    Business: conn.model('Business', businessSchema),
    Instrument: conn.model('Instrument', instrumentSchema),
    Verification: conn.model('Verification', verificationSchema),
    ApiKey: conn.model('ApiKey', apiKeySchema),
    Counter: conn.model('Counter', counterSchema),
    Like: conn.model('Like', likeSchema),
    Complaint: conn.model('Complaint', complaintSchema),
    Article: conn.model('Article', articleSchema),
  };
}

export type Models = ReturnType<typeof createModels>;

/** Index errors that mean an index of the same name or key exists with other options. */
const INDEX_CHANGED = new Set([85, 86]); // IndexOptionsConflict, IndexKeySpecsConflict

/**
 * Creates collections and indexes up front; autoIndex is off so this is the only place. An index
 * whose definition changed since a database was made (externalCodes went from sparse to partial)
 * is rebuilt: syncIndexes drops the indexes the schema no longer declares and creates the rest.
 */
export async function ensureIndexes(models: Models): Promise<void> {
  await repairStoredData(models);
  for (const model of Object.values(models)) {
    await model.createCollection().catch((err: { code?: number }) => {
      if (err.code !== 48) throw err; // 48: already exists
    });
    await model.createIndexes().catch(async (err: { code?: number }) => {
      if (!err.code || !INDEX_CHANGED.has(err.code)) throw err;
      await model.syncIndexes();
    });
  }
  await ensureComplaintPhotoIndexes(models.Complaint.db);
  await fillMissingCurrent(models);
  await fillVerificationScope(models);
}

/**
 * Data written by earlier versions that the current indexes refuse: a business saved without a
 * location got a bare `{ type: 'Point', coordinates: [] }`, which a 2dsphere index cannot hold.
 */
async function repairStoredData(models: Models): Promise<void> {
  await models.Business.collection.updateMany(
    { location: { $exists: true }, 'location.coordinates.1': { $exists: false } },
    { $unset: { location: '' } },
  );
}
