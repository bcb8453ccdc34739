import { generateDemoData } from '@mock/data';
import { PUBLICITY_ARTICLES } from '@mock/data/articles';
import type { Models } from '@bff/models';
import { ensureShippedArticles } from '@bff/services/articles';
import { hashPassword } from '@bff/services/credentials';

/** Demo accounts for development only; the passwords are printed by npm start. */
export const DEMO_ACCOUNTS = [
  { username: 'jinan', password: 'demo-jinan-2026', role: 'regulator', displayName: '济南市市场监管局（演示）', regionCode: '370100' },
  { username: 'lixia', password: 'demo-lixia-2026', role: 'regulator', displayName: '历下区市场监管局（演示）', regionCode: '370102' },
  { username: 'owner', password: 'demo-owner-2026', role: 'owner', displayName: '演示经营者' },
  { username: 'verifier', password: 'demo-verifier-2026', role: 'verifier', displayName: '济南市计量检定测试院（演示）' },
] as const;

export interface SeedResult {
  seeded: boolean;
  businesses: number;
  instruments: number;
  verifications: number;
}

/**
 * Content the product ships with, in every environment (production too): the publicity articles.
 * Added once each by slug, so it also reaches a database that already holds data.
 */
export async function seedContent(models: Models): Promise<{ articles: number }> {
  return { articles: await ensureShippedArticles(models, PUBLICITY_ARTICLES) };
}

/**
 * The shipped content (seedContent), then fills an EMPTY database with the deterministic demo
 * data set and the demo accounts. A database that already has businesses is left alone, so
 * restarts never duplicate or overwrite anything.
 */
export async function seedDemo(models: Models, opts: { businesses?: number; seed?: number; asOf?: Date } = {}): Promise<SeedResult> {
  await seedContent(models);
  if ((await models.Business.estimatedDocumentCount()) > 0) return { seeded: false, businesses: 0, instruments: 0, verifications: 0 };
  const data = generateDemoData({ seed: opts.seed ?? 20171127, businesses: opts.businesses ?? 300, asOf: opts.asOf ?? new Date() });
  await insertInChunks(models.Business, data.businesses);
  await insertInChunks(models.Instrument, data.instruments);
  await insertInChunks(models.Verification, data.verifications);
  const ownerBusiness = data.businesses[0]._id;
  for (const a of DEMO_ACCOUNTS) {
    await models.User.updateOne(
      { username: a.username },
      {
        $setOnInsert: {
          username: a.username,
          role: a.role,
          displayName: a.displayName,
          passwordHash: await hashPassword(a.password),
          ...('regionCode' in a ? { regionCode: a.regionCode } : {}),
          ...(a.role === 'owner' ? { businesses: [ownerBusiness] } : {}),
          ...(a.role === 'verifier' ? { institution: '济南市计量检定测试院' } : {}),
        },
      },
      { upsert: true },
    );
  }
  return { seeded: true, businesses: data.businesses.length, instruments: data.instruments.length, verifications: data.verifications.length };
}

async function insertInChunks(model: { insertMany(docs: object[], opts: object): Promise<unknown> }, docs: object[], size = 1000) {
  for (let i = 0; i < docs.length; i += size) {
    await model.insertMany(docs.slice(i, i + size), { ordered: true, lean: true });
  }
}
