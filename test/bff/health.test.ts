import { loadConfig } from '@bff/config';
import type { Deps } from '@bff/deps';
import { startServer, type RunningServer } from '@bff/server';
import { startMockWechat, type MockWechat } from '@mock/wechat/server';
import { testMongo, uniqueDbName, type TestMongo } from '../helpers/mongo';

/**
 * /api/v1/health says `ready` only once start-up is done (indexes, bootstrap admin and whatever
 * the caller starts with, such as npm start's demo data), so scripts and load balancers can wait
 * for it: 503 `starting` before, 200 `ready` after.
 */
let mongo: TestMongo;
let wechat: MockWechat;
beforeAll(async () => {
  mongo = await testMongo();
  wechat = await startMockWechat();
});
afterAll(async () => {
  await wechat.stop();
  await mongo.stop();
});

const config = () =>
  loadConfig({ NODE_ENV: 'test', PORT: '0', MONGODB_URI: mongo.uri, MONGODB_DB: uniqueDbName('health'), WECHAT_API_BASE: wechat.url, LOG_LEVEL: 'silent', ADMIN_PASSWORD: 'admin-test-password' });

const health = async (server: RunningServer) => {
  const res = await fetch(`${server.url}/api/v1/health`);
  return { status: res.status, body: await res.json() };
};

describe('/api/v1/health', () => {
  it('answers 503 starting while start-up work runs, and 200 ready once it is done', async () => {
    let finish!: () => void;
    const gate = new Promise<void>((resolve) => (finish = resolve));
    let seededUsers = -1;
    const server = await startServer(config(), {
      async startup(deps: Deps) {
        await gate;
        await deps.models.User.create({ role: 'regulator', username: 'seeded-regulator', regionCode: '370100' });
      },
    });
    try {
      const before = await health(server);
      expect(before.status).toBe(503);
      expect(before.body).toMatchObject({ status: 'starting', version: expect.stringMatching(/^\d+\.\d+\.\d+/) });

      finish();
      await server.ready;
      seededUsers = await server.deps.models.User.countDocuments({ username: 'seeded-regulator' });
      const after = await health(server);
      expect(after.status).toBe(200);
      expect(after.body).toMatchObject({ status: 'ready', db: { ok: true } });
      expect(seededUsers).toBe(1);
    } finally {
      await server.close();
    }
  });

  it('is ready as soon as startServer returns when there is no extra start-up work', async () => {
    const server = await startServer(config());
    try {
      const res = await health(server);
      expect(res.status).toBe(200);
      expect(res.body.status).toBe('ready');
    } finally {
      await server.close();
    }
  });

  it('never says ready when the start-up work failed, and the caller learns why', async () => {
    const server = await startServer(config(), {
      async startup() {
        throw new Error('seeding failed');
      },
    });
    try {
      await expect(server.ready).rejects.toThrow('seeding failed');
      const res = await health(server);
      expect(res.status).toBe(503);
      expect(res.body.status).toBe('starting');
    } finally {
      await server.close();
    }
  });
});
