/**
 * Embedded MongoDB wire reader: the time to receive one 48 MB message sent in 64 KB chunks,
 * (a) through MessageReader alone and (b) over TCP until the server's reply arrives. A reader
 * that re-copies its pending bytes on every chunk is quadratic here (about 11 s on this
 * machine); one that keeps the chunks and copies once is linear (under 0.1 s). Prints both
 * figures; exits non-zero only when the message is not received whole.
 */
import net from 'node:net';
import { performance } from 'node:perf_hooks';
import { serialize } from 'bson';
import { startEmbeddedMongo } from '../../mock/mongo';
import { MAX_MESSAGE_BYTES, MessageReader } from '../../mock/mongo/wire';

const CHUNK_BYTES = 64 * 1024;
const DOC_COUNT = 3;

/** A ping whose document sequence fills the message to just under 48,000,000 bytes. */
function bigPing(): Buffer {
  const body = Buffer.concat([Buffer.from([0]), serialize({ ping: 1, $db: 'admin' })]);
  const identifier = Buffer.from('padding\0');
  const room = MAX_MESSAGE_BYTES - 16 - 4 - body.length - 1 - 4 - identifier.length;
  const docs = Array.from({ length: DOC_COUNT }, () => serialize({ s: 'x'.repeat(Math.floor(room / DOC_COUNT) - 64) }));
  const sequenceSize = Buffer.alloc(4);
  sequenceSize.writeInt32LE(4 + identifier.length + docs.reduce((n, d) => n + d.length, 0));
  const sections = Buffer.concat([body, Buffer.from([1]), sequenceSize, identifier, ...docs]);
  const header = Buffer.alloc(20);
  header.writeInt32LE(20 + sections.length, 0);
  header.writeInt32LE(1, 4);
  header.writeInt32LE(2013, 12);
  return Buffer.concat([header, sections]);
}

function chunksOf(message: Buffer): Buffer[] {
  const chunks: Buffer[] = [];
  for (let i = 0; i < message.length; i += CHUNK_BYTES) chunks.push(message.subarray(i, i + CHUNK_BYTES));
  return chunks;
}

function timeReader(message: Buffer): number {
  const reader = new MessageReader();
  const start = performance.now();
  const received = chunksOf(message).flatMap((chunk) => reader.push(chunk));
  const elapsed = performance.now() - start;
  if (received.length !== 1 || !received[0].equals(message)) throw new Error('the reader did not return the message whole');
  return elapsed;
}

async function timeOverTcp(message: Buffer): Promise<number> {
  const mongo = await startEmbeddedMongo({ port: 0, quiet: true });
  const socket = net.connect(mongo.port, '127.0.0.1');
  await new Promise((resolve) => socket.once('connect', resolve));
  try {
    const start = performance.now();
    const replied = new Promise((resolve) => socket.once('data', resolve));
    for (const chunk of chunksOf(message)) {
      if (!socket.write(chunk)) await new Promise((resolve) => socket.once('drain', resolve));
    }
    await replied;
    return performance.now() - start;
  } finally {
    socket.destroy();
    await mongo.stop();
  }
}

async function main(): Promise<void> {
  const message = bigPing();
  console.log(`one ${message.length.toLocaleString()}-byte message in ${CHUNK_BYTES / 1024} KB chunks`);
  console.log(`  MessageReader alone: ${timeReader(message).toFixed(0)} ms`);
  console.log(`  over TCP to the reply: ${(await timeOverTcp(message)).toFixed(0)} ms`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
