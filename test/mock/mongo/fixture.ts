/**
 * Shared setup of the conformance suite: a MongoDB (embedded, or MONGODB_URI's real one), a
 * raw driver client and a fresh database per test file, dropped afterwards.
 */
import { MongoClient, type Db } from 'mongodb';
import { testMongo, uniqueDbName, type TestMongo } from '../../helpers/mongo';

export interface DriverFixture {
  mongo: TestMongo;
  client: MongoClient;
  db: Db;
}

async function openDriverFixture(prefix: string): Promise<DriverFixture> {
  const mongo = await testMongo();
  const client = await new MongoClient(mongo.uri).connect();
  return { mongo, client, db: client.db(uniqueDbName(prefix)) };
}

async function closeDriverFixture(fixture: DriverFixture | undefined): Promise<void> {
  if (!fixture) return;
  await fixture.db.dropDatabase();
  await fixture.client.close();
  await fixture.mongo.stop();
}

/**
 * Registers beforeAll/afterAll hooks for a test file and returns the fixture they fill in, so a
 * file starts with one line: `const f = useDriverFixture('name');`.
 */
export function useDriverFixture(prefix: string): DriverFixture {
  const fixture = {} as DriverFixture;
  beforeAll(async () => {
    Object.assign(fixture, await openDriverFixture(prefix));
  });
  afterAll(() => closeDriverFixture(fixture.db ? fixture : undefined));
  return fixture;
}

/** The error a promise rejects with (fails the test if it resolves). */
export async function rejection(promise: Promise<unknown>): Promise<any> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  throw new Error('expected the operation to fail');
}
