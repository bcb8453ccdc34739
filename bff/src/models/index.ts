import type { Connection, InferSchemaType } from 'mongoose';
import { userSchema } from './user';
import { businessSchema } from './business';
import { instrumentSchema } from './instrument';
import { verificationSchema } from './verification';
import { apiKeySchema } from './apiKey';
import { counterSchema } from './counter';

export { byExternalCode } from './instrument';
export { locationAt } from './business';

export type UserDoc = InferSchemaType<typeof userSchema>;
export type BusinessDoc = InferSchemaType<typeof businessSchema>;
export type InstrumentDoc = InferSchemaType<typeof instrumentSchema>;
export type VerificationDoc = InferSchemaType<typeof verificationSchema>;
export type ApiKeyDoc = InferSchemaType<typeof apiKeySchema>;

/** All models bound to one connection, so tests can run several apps on several databases. */
export function createModels(conn: Connection) {
  return {
    User: conn.model('User', userSchema),
    Business: conn.model('Business', businessSchema),
    Instrument: conn.model('Instrument', instrumentSchema),
    Verification: conn.model('Verification', verificationSchema),
    ApiKey: conn.model('ApiKey', apiKeySchema),
    Counter: conn.model('Counter', counterSchema),
  };
}

export type Models = ReturnType<typeof createModels>;

/** Creates collections and indexes up front; autoIndex is off so this is the only place. */
export async function ensureIndexes(models: Models): Promise<void> {
  for (const model of Object.values(models)) {
    await model.createCollection().catch((err: { code?: number }) => {
      if (err.code !== 48) throw err; // 48: already exists
    });
    await model.createIndexes();
  }
}
