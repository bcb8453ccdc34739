/**
 * Embedded MongoDB wire-protocol server for development and CI (not for production).
 *
 *   const mongo = await startEmbeddedMongo({ port: 0 });
 *   await mongoose.connect(mongo.uri, { dbName: 'app' });
 *   ...
 *   await mongo.stop();
 *
 * With `dbPath` every acknowledged write is journaled (see storage/); without it, data lives
 * in memory only.
 */
import { Engine } from './engine';
import { listen, type ConnectionLimits } from './server';
import { openDurableStore } from './storage';

export interface EmbeddedMongoOptions {
  /** TCP port on 127.0.0.1; 0 or unset picks a free one. */
  port?: number;
  /** Data directory; unset = in memory. */
  dbPath?: string;
  /**
   * fsync policy of the journal. 'always' (default): each write is fsync'd as soon as the disk
   * is free, writes arriving during an fsync share the next one, so an awaited single write
   * costs one fsync. 'batch': writes wait up to 10 ms to share an fsync, which only pays off
   * with many concurrent writers and makes every lone awaited write take 10 ms.
   */
  journal?: 'always' | 'batch';
  /** How often expired TTL documents are deleted (default 60 s, like mongod). */
  ttlIntervalMs?: number;
  /** Suppress the start-up line. */
  quiet?: boolean;
  /**
   * Connections open at once (default 1000, at least 1); one more is closed as soon as it is
   * accepted, as mongod does past net.maxIncomingConnections.
   */
  maxConnections?: number;
  /** A connection whose message stops arriving half-way for this long is closed (default 30 s; 0 = never). */
  stalledMessageTimeoutMs?: number;
  /**
   * A connection with no request in flight for this long is closed (default 1 hour; 0 = never).
   * mongod has no such timeout; this one only reclaims connections of clients that vanished
   * without closing them, and a driver replaces a closed pooled connection on its next use.
   */
  idleTimeoutMs?: number;
}

export interface EmbeddedMongo {
  uri: string;
  port: number;
  stop(): Promise<void>;
}

const DEFAULT_TTL_INTERVAL_MS = 60_000;
const DEFAULT_MAX_CONNECTIONS = 1000;
const DEFAULT_STALLED_MESSAGE_TIMEOUT_MS = 30_000;
const DEFAULT_IDLE_TIMEOUT_MS = 60 * 60_000;

function connectionLimits(options: EmbeddedMongoOptions): ConnectionLimits {
  if (options.maxConnections !== undefined && !(options.maxConnections >= 1)) throw new Error('maxConnections must be at least 1');
  return {
    maxConnections: options.maxConnections ?? DEFAULT_MAX_CONNECTIONS,
    stalledMessageTimeoutMs: options.stalledMessageTimeoutMs ?? DEFAULT_STALLED_MESSAGE_TIMEOUT_MS,
    idleTimeoutMs: options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS,
  };
}

export async function startEmbeddedMongo(options: EmbeddedMongoOptions = {}): Promise<EmbeddedMongo> {
  const engine = new Engine();
  if (options.dbPath) {
    engine.store = await openDurableStore({
      dir: options.dbPath,
      journal: options.journal ?? 'always',
      getState: () => engine.states(),
    });
    engine.load(engine.store.recovered);
  }
  let server;
  try {
    server = await listen(engine, options.port ?? 0, connectionLimits(options));
  } catch (err) {
    await engine.store?.close();
    throw err;
  }
  const ttlTimer = setInterval(() => void engine.sweepExpired().catch(() => undefined), options.ttlIntervalMs ?? DEFAULT_TTL_INTERVAL_MS);
  ttlTimer.unref();
  const uri = `mongodb://127.0.0.1:${server.port}/?directConnection=true`;
  if (!options.quiet) {
    console.log(`Embedded MongoDB (development/CI server, not for production) listening at ${uri}${options.dbPath ? ` with data in ${options.dbPath}` : ' in memory'}`);
  }
  let stopped: Promise<void> | null = null;
  const stop = () => {
    stopped ??= (async () => {
      clearInterval(ttlTimer);
      await server.close();
      await engine.store?.close();
    })();
    return stopped;
  };
  return { uri, port: server.port, stop };
}
