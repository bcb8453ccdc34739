/**
 * The TCP server: frames messages per connection, runs them in order (a connection's replies
 * must follow its requests), and answers every request, failed ones with an error reply.
 *
 * A connection cannot hurt the others: it stops being read while its requests pile up or its
 * replies go unread, a message that stops arriving half-way closes it, and connections beyond
 * maxConnections are closed as they arrive.
 */
import net from 'node:net';
import { performance } from 'node:perf_hooks';
import type { Document } from 'bson';
import { runCommand } from './commands';
import type { Engine } from './engine';
import { asCommandError } from './errors';
import { encodeReply, MessageReader, parseMessage, replyTarget, WireProtocolError, type ReplyTarget } from './wire';

export interface ConnectionLimits {
  /** Connections open at once; one more is closed as soon as it is accepted. */
  maxConnections: number;
  /** A connection whose message stops arriving half-way for this long is closed. */
  stalledMessageTimeoutMs: number;
  /** A connection with nothing in flight for this long is closed; 0 keeps it open forever. */
  idleTimeoutMs: number;
}

/** While this many requests (or bytes of requests) wait on one connection, its socket is not read. */
const MAX_WAITING_REQUESTS = 256;
const MAX_WAITING_BYTES = 64 * 1024 * 1024;
/** How long a connection being closed may take to flush its last replies. */
const CLOSE_GRACE_MS = 1000;
/** How long one connection's pipelined requests may run before other connections get a turn. */
const SLICE_MS = 5;

type Answer = { target: ReplyTarget; reply: Document } | { closeConnection: true };

async function answer(engine: Engine, message: Buffer, connectionId: number): Promise<Answer> {
  let target = replyTarget(message);
  try {
    const request = parseMessage(message);
    target = request;
    return { target, reply: await runCommand(engine, request.db, request.command, connectionId) };
  } catch (err) {
    if (err instanceof WireProtocolError && err.closesConnection) return { closeConnection: true };
    return { target, reply: asCommandError(err).toReply() };
  }
}

/** A reply that cannot be encoded (too large, bad value) becomes an error reply instead. */
function encodeSafely(target: ReplyTarget, reply: Document): Buffer {
  try {
    return encodeReply(target, reply);
  } catch (err) {
    return encodeReply(target, asCommandError(err).toReply());
  }
}

/** Resolves once the socket has flushed its write buffer, or is gone. */
function drained(socket: net.Socket): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      socket.off('drain', done);
      socket.off('close', done);
      resolve();
    };
    socket.on('drain', done);
    socket.on('close', done);
  });
}

/** Lets other connections' I/O and timers run between two slices of one connection's pipelined requests. */
function yieldToOthers(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

class Connection {
  private readonly reader = new MessageReader();
  private readonly connectionId: number;
  private readonly waiting: Buffer[] = [];
  private waitingBytes = 0;
  private working = false;
  /** The inactivity timeout the socket has now (0 = none). */
  private timeout = -1;

  constructor(
    private readonly engine: Engine,
    private readonly socket: net.Socket,
    private readonly limits: ConnectionLimits,
  ) {
    this.connectionId = engine.newConnectionId();
    socket.setNoDelay(true);
    socket.on('error', () => socket.destroy());
    socket.on('timeout', () => socket.destroy());
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    this.refreshTimeout();
  }

  private receive(chunk: Buffer): void {
    for (const message of this.reader.push(chunk)) {
      this.waiting.push(message);
      this.waitingBytes += message.length;
    }
    // A broken stream is read no further; the requests before the break are still answered.
    if (this.reader.broken || this.waiting.length >= MAX_WAITING_REQUESTS || this.waitingBytes >= MAX_WAITING_BYTES) this.socket.pause();
    this.refreshTimeout();
    if (!this.working) void this.work();
  }

  /** Answers the waiting requests one at a time, in order. */
  private async work(): Promise<void> {
    this.working = true;
    let sliceStart = performance.now();
    while (this.waiting.length && !this.socket.destroyed) {
      const message = this.waiting.shift() as Buffer;
      this.waitingBytes -= message.length;
      const outcome = await answer(this.engine, message, this.connectionId);
      if ('closeConnection' in outcome) {
        this.close();
        break;
      }
      if (!outcome.target.noReply && !this.socket.destroyed) this.socket.write(encodeSafely(outcome.target, outcome.reply));
      // A client that does not read its replies must not make us buffer them without end.
      if (this.socket.writableNeedDrain) await drained(this.socket);
      this.resumeIfShort();
      if (this.waiting.length && performance.now() - sliceStart > SLICE_MS) {
        await yieldToOthers();
        sliceStart = performance.now();
      }
    }
    this.working = false;
    if (this.reader.broken) this.close();
    else this.resumeIfShort();
  }

  /** Closes once the replies already written are flushed; a client that reads none is cut off after a second. */
  private close(): void {
    this.socket.end(() => this.socket.destroy());
    setTimeout(() => this.socket.destroy(), CLOSE_GRACE_MS).unref();
  }

  private resumeIfShort(): void {
    if (this.reader.broken) return;
    if (this.socket.isPaused() && this.waiting.length < MAX_WAITING_REQUESTS / 2 && this.waitingBytes < MAX_WAITING_BYTES / 2) {
      this.socket.resume();
    }
    this.refreshTimeout();
  }

  /**
   * The inactivity timeout that fits what the connection is doing: the stalled-message one while
   * a message is half-received, none while we are the ones busy or not reading, else the idle one.
   */
  private refreshTimeout(): void {
    const busy = this.working || this.waiting.length > 0;
    let timeout = busy ? 0 : this.limits.idleTimeoutMs;
    if (this.socket.isPaused()) timeout = 0;
    else if (this.reader.midMessage) timeout = this.limits.stalledMessageTimeoutMs;
    // Re-arming a socket timer costs; most requests leave the timeout as it was.
    if (timeout === this.timeout || this.socket.destroyed) return;
    this.timeout = timeout;
    this.socket.setTimeout(timeout);
  }
}

export interface RunningServer {
  port: number;
  close(): Promise<void>;
}

export function listen(engine: Engine, port: number, limits: ConnectionLimits): Promise<RunningServer> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    new Connection(engine, socket, limits);
  });
  server.maxConnections = limits.maxConnections;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const address = server.address() as net.AddressInfo;
      engine.port = address.port;
      resolve({
        port: address.port,
        close: () =>
          new Promise<void>((done) => {
            for (const socket of sockets) socket.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}
