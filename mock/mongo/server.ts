/**
 * The TCP server: frames messages per connection, runs them in order (a connection's replies
 * must follow its requests), and answers every request, failed ones with an error reply.
 */
import net from 'node:net';
import type { Document } from 'bson';
import { runCommand } from './commands';
import type { Engine } from './engine';
import { asCommandError } from './errors';
import { encodeReply, MessageReader, parseMessage, type Request } from './wire';

async function answer(engine: Engine, message: Buffer, connectionId: number): Promise<{ request: Request | null; reply: Document }> {
  let request: Request | null = null;
  try {
    request = parseMessage(message);
    return { request, reply: await runCommand(engine, request.db, request.command, connectionId) };
  } catch (err) {
    return { request, reply: asCommandError(err).toReply() };
  }
}

/** A request id we can still answer even when the message could not be parsed. */
function fallbackRequest(message: Buffer): Request {
  return { requestId: message.length >= 8 ? message.readInt32LE(4) : 0, opCode: 2013, command: {}, db: 'admin', noReply: false };
}

/** A reply that cannot be encoded (too large, bad value) becomes an error reply instead. */
function encodeSafely(request: Request, reply: Document): Buffer {
  try {
    return encodeReply(request, reply);
  } catch (err) {
    return encodeReply(request, asCommandError(err).toReply());
  }
}

function serveConnection(engine: Engine, socket: net.Socket, sockets: Set<net.Socket>): void {
  const connectionId = engine.newConnectionId();
  const reader = new MessageReader();
  let queue = Promise.resolve();
  sockets.add(socket);
  socket.setNoDelay(true);
  socket.on('close', () => sockets.delete(socket));
  socket.on('error', () => socket.destroy());
  socket.on('data', (chunk: Buffer) => {
    let messages: Buffer[];
    try {
      messages = reader.push(chunk);
    } catch {
      socket.destroy();
      return;
    }
    for (const message of messages) {
      queue = queue.then(async () => {
        const { request, reply } = await answer(engine, message, connectionId);
        if (request?.noReply || socket.destroyed) return;
        socket.write(encodeSafely(request ?? fallbackRequest(message), reply));
      });
    }
  });
}

export interface RunningServer {
  port: number;
  close(): Promise<void>;
}

export function listen(engine: Engine, port: number): Promise<RunningServer> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => serveConnection(engine, socket, sockets));
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
