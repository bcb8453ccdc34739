/**
 * Raw wire-protocol bytes for the embedded-wire tests: message builders, a client that reads
 * framed replies off a plain socket, and the CLI server in a child process (so a server that
 * loops or runs out of memory fails a test instead of freezing the test runner).
 */
import { spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { deserialize, serialize, type Document } from 'bson';

export const OP_REPLY = 1;
export const OP_QUERY = 2004;
export const OP_MSG = 2013;

export function int32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeInt32LE(n);
  return b;
}

export function uint32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n >>> 0);
  return b;
}

/** A message: header (with `length` unless given) and body bytes. */
export function message(opCode: number, body: Buffer, length = 16 + body.length): Buffer {
  return Buffer.concat([int32(length), int32(7), int32(0), int32(opCode), body]);
}

export function opMsg(sections: Buffer, flags = 0): Buffer {
  return message(OP_MSG, Buffer.concat([uint32(flags), sections]));
}

export function bodySection(command: Document): Buffer {
  return Buffer.concat([Buffer.from([0]), serialize(command)]);
}

/** A kind-1 section; `size` overrides the size field the section carries. */
export function sequenceSection(identifier: string, docs: Document[], size?: number): Buffer {
  const ident = Buffer.from(`${identifier}\0`);
  const bytes = docs.map((d) => serialize(d));
  const realSize = 4 + ident.length + bytes.reduce((n, b) => n + b.length, 0);
  return Buffer.concat([Buffer.from([1]), int32(size ?? realSize), ident, ...bytes]);
}

export function opQuery(namespace: string, query: Document): Buffer {
  return message(OP_QUERY, Buffer.concat([int32(0), Buffer.from(`${namespace}\0`), int32(0), int32(-1), serialize(query)]));
}

export function ping(): Buffer {
  return opMsg(bodySection({ ping: 1, $db: 'admin' }));
}

export interface Reply {
  opCode: number;
  /** OP_MSG flagBits or OP_REPLY responseFlags. */
  flags: number;
  doc: Document;
}

function decodeReply(frame: Buffer): Reply {
  const opCode = frame.readInt32LE(12);
  const bodyStart = opCode === OP_REPLY ? 36 : 21;
  return { opCode, flags: frame.readInt32LE(16), doc: deserialize(frame.subarray(bodyStart)) };
}

/** What a connection did with a message: answered it, closed, or said nothing for a while. */
export type Outcome = Reply | 'closed' | 'silent';

/** A plain socket that frames the server's replies. */
export class RawClient {
  private data = Buffer.alloc(0);
  private readonly replies: Reply[] = [];
  private wake: (() => void) | null = null;
  closed = false;

  private constructor(readonly socket: net.Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.data = Buffer.concat([this.data, chunk]);
      while (this.data.length >= 4 && this.data.length >= this.data.readInt32LE(0)) {
        const length = this.data.readInt32LE(0);
        this.replies.push(decodeReply(this.data.subarray(0, length)));
        this.data = this.data.subarray(length);
      }
      this.wake?.();
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      this.closed = true;
      this.wake?.();
    });
  }

  static async connect(port: number): Promise<RawClient> {
    const socket = net.connect(port, '127.0.0.1');
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    return new RawClient(socket);
  }

  send(bytes: Buffer): void {
    this.socket.write(bytes);
  }

  /** The next reply, or 'closed' / 'silent' when the connection closes or nothing comes within `ms`. */
  async next(ms: number): Promise<Outcome> {
    const deadline = Date.now() + ms;
    for (;;) {
      const reply = this.replies.shift();
      if (reply) return reply;
      if (this.closed) return 'closed';
      const left = deadline - Date.now();
      if (left <= 0) return 'silent';
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = null;
    }
  }

  /** Sends `bytes` and waits for what follows. */
  async exchange(bytes: Buffer, ms = 5000): Promise<Outcome> {
    this.send(bytes);
    return this.next(ms);
  }

  destroy(): void {
    this.socket.destroy();
  }
}

/** The reply's document, failing the test when the connection closed or stayed silent instead. */
export function replyDoc(outcome: Outcome): Document {
  if (typeof outcome === 'string') throw new Error(`expected a reply, the connection was ${outcome}`);
  return outcome.doc;
}

const ROOT = path.resolve(__dirname, '../../..');

export interface ChildServer {
  port: number;
  stop(): Promise<void>;
}

/** The embedded server as the CLI in its own process. */
export function startChildServer(args: string[] = []): Promise<ChildServer> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'mock/mongo/cli.ts', '--port', '0', ...args], { cwd: ROOT });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
  };
  return new Promise((resolve, reject) => {
    let output = '';
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /mongodb:\/\/127\.0\.0\.1:(\d+)\//.exec(output);
      if (match) resolve({ port: Number(match[1]), stop });
    });
    void exited.then(() => reject(new Error(`server exited: ${output}`)));
  });
}

export interface ServerWithBystander {
  server: ChildServer;
  /** A second client whose ping must keep answering whatever the others send. */
  bystander: RawClient;
}

/** Registers hooks that start a child server and a bystander client for a describe block. */
export function useServerWithBystander(): ServerWithBystander {
  const fixture = {} as ServerWithBystander;
  beforeAll(async () => {
    fixture.server = await startChildServer();
    fixture.bystander = await RawClient.connect(fixture.server.port);
  });
  afterAll(async () => {
    fixture.bystander?.destroy();
    await fixture.server?.stop();
  });
  return fixture;
}
