/**
 * Handshake and server-level commands. The server presents itself as the primary of a one-node
 * replica set so drivers allow sessions and transactions; no topologyVersion (that would make
 * the driver use streaming hello) and no compression.
 */
import { calculateObjectSize, ObjectId, type Document } from 'bson';
import { LOGICAL_SESSION_TIMEOUT_MINUTES } from '../retryable';
import { MAX_MESSAGE_BYTES } from '../wire';
import type { CommandContext, CommandHandler } from './context';

export const REPLICA_SET_NAME = 'rs0';
const ELECTION_ID = new ObjectId('7fffffff0000000000000001');

function hello(ctx: CommandContext): Document {
  const me = `127.0.0.1:${ctx.engine.port}`;
  return {
    helloOk: true,
    ismaster: true,
    isWritablePrimary: true,
    secondary: false,
    setName: REPLICA_SET_NAME,
    setVersion: 1,
    hosts: [me],
    primary: me,
    me,
    electionId: ELECTION_ID,
    maxBsonObjectSize: 16 * 1024 * 1024,
    maxMessageSizeBytes: MAX_MESSAGE_BYTES,
    maxWriteBatchSize: 100_000,
    localTime: new Date(),
    logicalSessionTimeoutMinutes: LOGICAL_SESSION_TIMEOUT_MINUTES,
    connectionId: ctx.connectionId,
    minWireVersion: 0,
    maxWireVersion: 21,
    readOnly: false,
    ok: 1,
  };
}

function buildInfo(): Document {
  return {
    version: '7.0.0',
    gitVersion: 'embedded',
    versionArray: [7, 0, 0, 0],
    bits: 64,
    maxBsonObjectSize: 16 * 1024 * 1024,
    modules: [],
    storageEngines: ['embedded'],
    ok: 1,
  };
}

function listDatabases(ctx: CommandContext): Document {
  const databases = [...ctx.engine.catalog.dbs.entries()].map(([name, colls]) => {
    let sizeOnDisk = 0;
    for (const c of colls.values()) for (const d of c.docs.values()) sizeOnDisk += calculateObjectSize(d);
    return { name, sizeOnDisk, empty: colls.size === 0 };
  });
  if (ctx.command.nameOnly) return { databases: databases.map(({ name }) => ({ name })), ok: 1 };
  return { databases, totalSize: databases.reduce((s, d) => s + d.sizeOnDisk, 0), ok: 1 };
}

function endSessions(ctx: CommandContext): Document {
  const ids = (ctx.command.endSessions ?? []) as Document[];
  for (const lsid of ids) {
    ctx.engine.transactions.endSession(sessionKey(lsid));
    const forget = ctx.engine.retryable.endSession(sessionKey(lsid));
    if (forget && ctx.engine.store) ctx.changes.push(forget);
  }
  return { ok: 1 };
}

/** A session's map key: the hex of its lsid UUID. */
export function sessionKey(lsid: Document): string {
  const id = lsid?.id as { toString(encoding: string): string } | undefined;
  return id ? id.toString('hex') : '';
}

const ok: CommandHandler = () => ({ ok: 1 });

export const adminCommands: Record<string, CommandHandler> = {
  hello,
  ismaster: hello,
  isMaster: hello,
  ping: ok,
  buildInfo,
  buildinfo: buildInfo,
  listDatabases,
  endSessions,
  killAllSessions: ok,
  getLastError: () => ({ ok: 1, err: null, n: 0 }),
  whatsmyuri: () => ({ you: '127.0.0.1:0', ok: 1 }),
  getParameter: () => ({ featureCompatibilityVersion: { version: '7.0' }, ok: 1 }),
  hostInfo: () => ({ system: { hostname: '127.0.0.1' }, ok: 1 }),
  serverStatus: (ctx) => ({ host: `127.0.0.1:${ctx.engine.port}`, version: '7.0.0', process: 'embedded', uptime: process.uptime(), localTime: new Date(), ok: 1 }),
  connectionStatus: () => ({ authInfo: { authenticatedUsers: [], authenticatedUserRoles: [] }, ok: 1 }),
  replSetGetStatus: (ctx) => ({
    set: REPLICA_SET_NAME,
    myState: 1,
    members: [{ _id: 0, name: `127.0.0.1:${ctx.engine.port}`, health: 1, state: 1, stateStr: 'PRIMARY' }],
    ok: 1,
  }),
};

