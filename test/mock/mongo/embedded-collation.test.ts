/**
 * Embedded server only: the collation features this server does not implement are refused with
 * CommandNotSupported (115) naming the feature, never accepted and ignored. (mongod implements
 * them, so these run against an embedded server whatever MONGODB_URI says.)
 */
import { MongoClient, type Db } from 'mongodb';
import { startEmbeddedMongo, type EmbeddedMongo } from '@mock/mongo';
import { rejection } from './fixture';

let server: EmbeddedMongo;
let client: MongoClient;
let db: Db;

beforeAll(async () => {
  server = await startEmbeddedMongo({ port: 0, quiet: true });
  client = await new MongoClient(server.uri).connect();
  db = client.db('collation_limits');
  await db.collection('people').insertMany([{ name: 'Li' }, { name: 'li' }]);
});
afterAll(async () => {
  await client.close();
  await server.stop();
});

const caseless = { locale: 'en', strength: 2 };

test('an index with a collation is refused; a simple one is the default and not listed', async () => {
  const err = await rejection(db.collection('people').createIndex({ name: 1 }, { collation: caseless }));
  expect(err.code).toBe(115);
  expect(err.message).toMatch(/index collations/);
  await db.collection('people').createIndex({ name: 1 }, { collation: { locale: 'simple' } });
  const index = (await db.collection('people').listIndexes().toArray()).find((i) => i.name === 'name_1');
  expect(index).not.toHaveProperty('collation');
});

test('grouping and comparing expressions under a collation are refused, matching and sorting run', async () => {
  const people = db.collection('people');
  const group = await rejection(people.aggregate([{ $group: { _id: '$name' } }], { collation: caseless }).toArray());
  expect(group.code).toBe(115);
  expect(group.message).toMatch(/\$group stage under a collation/);
  const compare = await rejection(people.aggregate([{ $project: { same: { $eq: ['$name', 'LI'] } } }], { collation: caseless }).toArray());
  expect(compare.code).toBe(115);
  expect(compare.message).toMatch(/\$eq expression/);
  const rows = await people.aggregate([{ $match: { name: 'LI' } }, { $count: 'n' }], { collation: caseless }).toArray();
  expect(rows).toEqual([{ n: 2 }]);
});

test('collation options Intl cannot express are refused', async () => {
  const backwards = await rejection(db.collection('people').find({}, { collation: { locale: 'fr', backwards: true } }).toArray());
  expect(backwards.code).toBe(115);
  const shifted = await rejection(db.collection('people').find({}, { collation: { locale: 'en', alternate: 'shifted' } }).toArray());
  expect(shifted.code).toBe(115);
});
