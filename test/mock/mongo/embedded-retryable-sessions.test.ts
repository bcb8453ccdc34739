/**
 * Embedded server only: how long a session's retryable-write record lives. mongod keeps it as
 * long as the session (logicalSessionTimeoutMinutes, 30, as hello says, after its last use)
 * and forgets it once the session ends; then a resend is a new write. The engine runs on a
 * clock this test moves, so no test waits for half an hour.
 */
import { Binary, deserialize, Long, serialize, type Document } from 'bson';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { startEmbeddedMongo } from '@mock/mongo';
import { runCommand } from '@mock/mongo/commands';
import { Engine } from '@mock/mongo/engine';

let now = 0;
let engine: Engine;
const lsid = { id: new Binary(randomBytes(16), 4) };

beforeEach(() => {
  now = Date.UTC(2026, 11, 2);
  engine = new Engine({ now: () => now });
});

function send(command: Document): Promise<Document> {
  return runCommand(engine, 'app', command, 1);
}

const insertOnce = () => send({ insert: 'c', documents: [{ _id: 'x' }], lsid, txnNumber: Long.fromNumber(1) });

describe('the retryable-write record of a session', () => {
  test('hello advertises the logical session timeout the records live by', async () => {
    expect((await send({ hello: 1 })).logicalSessionTimeoutMinutes).toBe(30);
  });

  test('a retry 29 minutes later is still answered from the record', async () => {
    expect((await insertOnce()).n).toBe(1);
    now += 29 * 60_000;
    const retry = await insertOnce();
    expect(retry.writeErrors).toBeUndefined();
    expect(retry.retriedStmtIds).toEqual([0]);
  });

  test('any command naming the session keeps its record alive', async () => {
    await insertOnce();
    now += 20 * 60_000;
    await send({ find: 'c', filter: {}, lsid });
    now += 20 * 60_000;
    expect((await insertOnce()).retriedStmtIds).toEqual([0]);
  });

  test('after the session timeout the record is gone and the resend is a new insert (E11000)', async () => {
    await insertOnce();
    now += 31 * 60_000;
    const resend = await insertOnce();
    expect(resend.retriedStmtIds).toBeUndefined();
    expect(resend.writeErrors[0].code).toBe(11000);
  });

  test('endSessions forgets the record at once', async () => {
    await insertOnce();
    await send({ endSessions: [lsid] });
    expect((await insertOnce()).writeErrors[0].code).toBe(11000);
  });
});

/** Sends one OP_MSG command over a fresh connection (so the test chooses the lsid) and returns the reply. */
function overTcp(port: number, command: Document): Promise<Document> {
  const body = serialize(command);
  const header = Buffer.alloc(21);
  header.writeInt32LE(21 + body.length, 0);
  header.writeInt32LE(1, 4);
  header.writeInt32LE(2013, 12);
  const message = Buffer.concat([header, body]);
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.write(message));
    let data = Buffer.alloc(0);
    socket.on('data', (chunk) => {
      data = Buffer.concat([data, chunk]);
      if (data.length < 4 || data.length < data.readInt32LE(0)) return;
      socket.destroy();
      resolve(deserialize(data.subarray(21, data.readInt32LE(0))));
    });
    socket.on('error', reject);
  });
}

describe('with a data directory', () => {
  test('a retry after a restart is still answered from the record, not applied again', async () => {
    const dbPath = mkdtempSync(path.join(os.tmpdir(), 'retryable-'));
    const insert = { insert: 'c', documents: [{ _id: 'r' }], lsid, txnNumber: Long.fromNumber(7), $db: 'app' };
    try {
      const first = await startEmbeddedMongo({ port: 0, quiet: true, dbPath });
      expect((await overTcp(first.port, insert)).n).toBe(1);
      await first.stop();
      const second = await startEmbeddedMongo({ port: 0, quiet: true, dbPath });
      try {
        const retry = await overTcp(second.port, insert);
        expect(retry.writeErrors).toBeUndefined();
        expect(retry.retriedStmtIds).toEqual([0]);
        expect((await overTcp(second.port, { count: 'c', $db: 'app' })).n).toBe(1);
        await overTcp(second.port, { endSessions: [lsid], $db: 'admin' });
      } finally {
        await second.stop();
      }
      const third = await startEmbeddedMongo({ port: 0, quiet: true, dbPath });
      try {
        expect((await overTcp(third.port, insert)).writeErrors[0].code).toBe(11000);
      } finally {
        await third.stop();
      }
    } finally {
      rmSync(dbPath, { recursive: true, force: true });
    }
  });
});
