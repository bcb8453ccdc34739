/**
 * Embedded server only: random and truncated messages. MessageReader and parseMessage never
 * throw anything but WireProtocolError, never read or allocate beyond the message, and the
 * reader copies a message once however it is chunked; over TCP, whatever one client sends, a
 * second client's ping keeps answering within 100 ms.
 */
import fc from 'fast-check';
import { serialize } from 'bson';
import { MAX_MESSAGE_BYTES, MessageReader, parseMessage, WireProtocolError } from '@mock/mongo/wire';
import { bodySection, int32, message, OP_QUERY, opMsg, ping, RawClient, replyDoc, sequenceSection, useServerWithBystander } from './embedded-wire-bytes';

const int32Value = fc.oneof(fc.constantFrom(-1, 0, 1, 3, 4, 5, 16, 2 ** 31 - 1, -(2 ** 31)), fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }));
const smallDoc = fc.dictionary(fc.string({ maxLength: 4 }), fc.oneof(fc.integer(), fc.string({ maxLength: 6 }), fc.boolean()), { maxKeys: 3 });
const docBytes = fc.oneof(fc.constant({ ping: 1, $db: 'admin' }), smallDoc).map((d) => Buffer.from(serialize(d)));

/** A document sequence whose size field is right, a little off, or any int32 at all. */
const sequence = fc
  .tuple(
    fc.string({ maxLength: 6 }),
    fc.array(smallDoc, { maxLength: 3 }),
    fc.oneof(fc.constant({ skew: 0 }), fc.integer({ min: -6, max: 6 }).map((skew) => ({ skew })), int32Value.map((size) => ({ size }))),
  )
  .map(([identifier, docs, lie]) => {
    const rightSize = sequenceSection(identifier, docs).readInt32LE(1);
    return sequenceSection(identifier, docs, 'size' in lie ? lie.size : rightSize + lie.skew);
  });

/** Pieces a section is made of, valid or not, to be put together in any order. */
const piece = fc.oneof(
  fc.constantFrom(0, 1, 2, 255).map((kind) => Buffer.from([kind])),
  int32Value.map(int32),
  docBytes.map((d) => Buffer.concat([Buffer.from([0]), d])),
  docBytes.chain((d) => fc.nat(d.length).map((n) => d.subarray(0, n))),
  sequence,
  fc.string({ maxLength: 8 }).map((s) => Buffer.from(`${s}\0`)),
  fc.uint8Array({ maxLength: 24 }).map((a) => Buffer.from(a)),
);

const flags = fc.oneof(fc.constantFrom(0, 1, 2, 1 << 16, 4), fc.nat({ max: 2 ** 32 - 1 }));
const opMsgMessage = fc.tuple(flags, fc.array(piece, { maxLength: 6 })).map(([f, pieces]) => opMsg(Buffer.concat(pieces), f));
const opQueryMessage = fc.array(piece, { maxLength: 6 }).map((pieces) => message(OP_QUERY, Buffer.concat(pieces)));
const otherMessage = fc.tuple(fc.integer(), fc.uint8Array({ maxLength: 48 })).map(([opCode, body]) => message(opCode, Buffer.from(body)));
/** A body and document sequences as a driver sends them, with sizes that may lie and trailing junk. */
const insertLike = fc
  .tuple(flags, fc.array(sequence, { maxLength: 2 }), fc.option(piece, { nil: undefined }))
  .map(([f, sequences, tail]) => opMsg(Buffer.concat([bodySection({ insert: 'fuzz', $db: 'fuzz' }), ...sequences, ...(tail ? [tail] : [])]), f));
const anyMessage = fc.oneof(
  { weight: 3, arbitrary: insertLike },
  { weight: 3, arbitrary: opMsgMessage },
  { weight: 2, arbitrary: opQueryMessage },
  { weight: 1, arbitrary: otherMessage },
);

/** Runs `fn` and fails on any error other than a WireProtocolError. */
function onlyWireErrors(fn: () => unknown): void {
  try {
    fn();
  } catch (err) {
    if (!(err instanceof WireProtocolError)) throw err;
  }
}

/** Sizes of the buffers Buffer.alloc / allocUnsafe / concat hand out while `fn` runs. */
function allocations(fn: () => void): number[] {
  const sizes: number[] = [];
  const spies = (['alloc', 'allocUnsafe', 'concat'] as const).map((name) => {
    const original = Buffer[name] as (...args: unknown[]) => Buffer;
    return jest.spyOn(Buffer, name).mockImplementation(((...args: unknown[]) => {
      const buf = original.apply(Buffer, args);
      sizes.push(buf.length);
      return buf;
    }) as never);
  });
  try {
    fn();
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
  return sizes;
}

/** Splits `bytes` at the given cut points. */
function split(bytes: Buffer, cuts: number[]): Buffer[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Buffer[] = [];
  let start = 0;
  for (const point of [...points, bytes.length]) {
    chunks.push(bytes.subarray(start, point));
    start = point;
  }
  return chunks;
}

describe('parseMessage on random input', () => {
  test('any message either parses or throws a WireProtocolError, allocating no more than the message', () => {
    fc.assert(
      fc.property(anyMessage, (buf) => {
        const sizes = allocations(() => onlyWireErrors(() => parseMessage(buf)));
        expect(Math.max(0, ...sizes)).toBeLessThanOrEqual(buf.length);
      }),
      { numRuns: 3000 },
    );
  });

  test('every truncation of a valid insert with a document sequence is refused, except the one that ends with the body', () => {
    const body = bodySection({ insert: 'c', $db: 'wire' });
    const full = opMsg(Buffer.concat([body, sequenceSection('documents', [{ _id: 1, a: 'x' }, { _id: 2 }])]));
    expect(parseMessage(full).command.documents).toHaveLength(2);
    const bodyEnd = 20 + body.length;
    for (let cut = 16; cut < full.length; cut++) {
      const truncated = Buffer.concat([int32(cut), full.subarray(4, cut)]);
      if (cut === bodyEnd) expect(parseMessage(truncated).command).toEqual({ insert: 'c', $db: 'wire' });
      else expect(() => parseMessage(truncated)).toThrow(WireProtocolError);
    }
  });

  test('a document sequence named __proto__ becomes an own field, not the prototype of the command', () => {
    const { command } = parseMessage(opMsg(Buffer.concat([bodySection({ ping: 1, $db: 'admin' }), sequenceSection('__proto__', [{ polluted: true }])])));
    expect(Object.getPrototypeOf(command)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(command, '__proto__')?.value).toEqual([{ polluted: true }]);
  });
});

describe('MessageReader on random input', () => {
  test('a stream of messages comes out whole and in order however it is chunked', () => {
    fc.assert(
      fc.property(fc.array(anyMessage, { minLength: 1, maxLength: 5 }), fc.array(fc.nat(), { maxLength: 12 }), (messages, cuts) => {
        const reader = new MessageReader();
        const out = split(Buffer.concat(messages), cuts).flatMap((chunk) => reader.push(chunk));
        expect(out.map((m) => m.toString('hex'))).toEqual(messages.map((m) => m.toString('hex')));
        expect(reader.midMessage).toBe(false);
      }),
    );
  });

  test('random bytes yield messages of a valid length, or break the stream with a connection-closing error; push never throws', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 64 }), { maxLength: 8 }), (chunks) => {
        const reader = new MessageReader();
        let pushed = 0;
        for (const chunk of chunks) {
          pushed += chunk.length;
          const sizes = allocations(() => {
            for (const m of reader.push(Buffer.from(chunk))) {
              expect(m.readInt32LE(0)).toBe(m.length);
              expect(m.length).toBeGreaterThanOrEqual(16);
            }
          });
          expect(Math.max(0, ...sizes)).toBeLessThanOrEqual(pushed);
        }
        if (reader.broken) {
          expect(reader.broken).toBeInstanceOf(WireProtocolError);
          expect(reader.broken.closesConnection).toBe(true);
        }
      }),
    );
  });

  test('a length over 48,000,000 breaks the stream as soon as its four bytes arrive; the messages before it come out', () => {
    const reader = new MessageReader();
    expect(reader.push(Buffer.concat([ping(), int32(MAX_MESSAGE_BYTES + 1)]))).toEqual([ping()]);
    expect(reader.broken).toMatchObject({ code: 17, closesConnection: true });
    expect(reader.push(ping())).toEqual([]);
  });

  test('an 8 MB message in 64 KB chunks is copied once, not once per chunk', () => {
    const big = opMsg(Buffer.concat([bodySection({ ping: 1, $db: 'admin' }), sequenceSection('padding', [{ s: 'x'.repeat(8_000_000) }])]));
    const reader = new MessageReader();
    const received: Buffer[] = [];
    const sizes = allocations(() => {
      for (let i = 0; i < big.length; i += 64 * 1024) received.push(...reader.push(big.subarray(i, i + 64 * 1024)));
    });
    expect(received).toHaveLength(1);
    expect(received[0].equals(big)).toBe(true);
    expect(sizes.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(2 * big.length);
  });
});

describe('embedded server: random and truncated messages over TCP', () => {
  const live = useServerWithBystander();

  /** The bystander's ping round trip in ms, failing when it gets no ok reply. */
  async function pingTime(): Promise<number> {
    const started = performance.now();
    expect(replyDoc(await live.bystander.exchange(ping(), 2000))).toMatchObject({ ok: 1 });
    return performance.now() - started;
  }

  /**
   * The faster of two pings: a server still busy with (or stuck on) the hostile message fails
   * both, a moment when this shared machine gives the processes no CPU fails one.
   */
  async function pingWithin100ms(): Promise<void> {
    if ((await pingTime()) < 100) return;
    expect(await pingTime()).toBeLessThan(100);
  }

  test('whatever one client sends, whole or cut short, another client is answered within 100 ms', async () => {
    await fc.assert(
      fc.asyncProperty(anyMessage, fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.nat() }), async (buf, cut) => {
        const hostile = await RawClient.connect(live.server.port);
        try {
          const bytes = cut === undefined ? buf : buf.subarray(0, cut % buf.length);
          if (bytes.length) await hostile.exchange(bytes, cut === undefined ? 200 : 0);
        } finally {
          hostile.destroy();
        }
        await pingWithin100ms();
      }),
      { numRuns: 500 },
    );
  });

  test('a client that sends many random messages on one connection (reconnecting when closed) leaves others served', async () => {
    let hostile = await RawClient.connect(live.server.port);
    try {
      for (const buf of fc.sample(anyMessage, 200)) {
        if (hostile.closed) hostile = await RawClient.connect(live.server.port);
        await hostile.exchange(buf, 200);
        await pingWithin100ms();
      }
    } finally {
      hostile.destroy();
    }
  });
});

