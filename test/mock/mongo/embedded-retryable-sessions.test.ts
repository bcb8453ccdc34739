/**
 * Embedded server only: how long a session's retryable-write record lives. mongod keeps it as
 * long as the session (logicalSessionTimeoutMinutes, 30, as hello says, after its last use)
 * and forgets it once the session ends; then a resend is a new write. The engine runs on a
 * clock this test moves, so no test waits for half an hour.
 */
import { Binary, Long, type Document } from 'bson';
import { randomBytes } from 'node:crypto';
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
