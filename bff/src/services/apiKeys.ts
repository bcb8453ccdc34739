/** Issuing and revoking the API keys verification institutions post results with. */
import type { SessionUser } from '@shared/api';
import type { CreateApiKey } from '@shared/requests/apiKeys';
import type { z } from 'zod';
import { notFound } from '../errors';
import type { Models } from '../models';
import { newApiKey } from './credentials';

/** A new key: only its SHA-256 hash is stored, the plain key is returned this once. */
export async function issueApiKey(models: Models, issuer: SessionUser, request: z.infer<typeof CreateApiKey>) {
  const { key, prefix, hash } = newApiKey();
  const created = await models.ApiKey.create({ ...request, prefix, hash, createdBy: issuer.id });
  return { record: created.toObject(), key };
}

/** Revokes a key at once (the next request with it is a 401); revoking twice is harmless. */
export async function revokeApiKey(models: Models, id: string): Promise<void> {
  const res = await models.ApiKey.updateOne({ _id: id, revokedAt: { $exists: false } }, { $set: { revokedAt: new Date() } });
  if (!res.matchedCount && !(await models.ApiKey.exists({ _id: id }))) throw notFound('API_KEY_NOT_FOUND', '未找到该 API Key');
}
