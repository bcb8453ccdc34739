/**
 * A MongoDB for tests: the one in MONGODB_URI when set (so the suite runs against a real
 * MongoDB), else an embedded server started in this process on a free port.
 */
import { randomBytes } from 'node:crypto';
import { startEmbeddedMongo } from '@mock/mongo';

export interface TestMongo {
  uri: string;
  stop(): Promise<void>;
}

export async function testMongo(): Promise<TestMongo> {
  const external = process.env.MONGODB_URI;
  if (external) return { uri: external, stop: async () => undefined };
  const server = await startEmbeddedMongo({ port: 0, quiet: true });
  return { uri: server.uri, stop: () => server.stop() };
}

/** A database name no other test (or earlier run against a shared MongoDB) uses. */
export function uniqueDbName(prefix: string): string {
  return `${prefix}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`.slice(0, 60);
}
