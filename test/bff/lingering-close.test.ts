/**
 * A body refused before it is all read (over the limit) is answered, and the connection is then
 * closed in stages (middleware/body.ts closeUnreadBodies): the server half-closes after its answer
 * and goes on reading what the client still sends, so a client that is still uploading reads the
 * 413 and sees an orderly end of the connection, not a reset that could wipe the answer out.
 *
 * A raw TCP client, so the test sees exactly what a phone's network stack would: the answer's
 * bytes, then a FIN ('end') while it keeps writing, never ECONNRESET or EPIPE.
 */
import net from 'node:net';
import { startTestApp, type TestApp } from '../helpers/app';

let app: TestApp;
let token: string;
beforeAll(async () => {
  app = await startTestApp();
  token = await app.tokenFor('regulator', { regionCode: '370102' });
});
afterAll(() => app.stop());

interface Exchange {
  answer: string;
  /** Bytes of body the client wrote after the answer had fully arrived. */
  writtenAfterAnswer: number;
  /** Whether the server half-closed (a FIN) after its answer. */
  halfClosed: boolean;
  /** A socket error the client saw (ECONNRESET, EPIPE), or null. */
  error: string | null;
}

/**
 * Sends a chunked request whose body never stops (64 KB chunks) until the server's answer has
 * arrived, then goes on sending `afterAnswer` more bytes, then waits for the connection to end.
 */
function uploadPastTheLimit(path: string, headers: Record<string, string>, afterAnswer = 1024 * 1024): Promise<Exchange> {
  const { hostname, port } = new URL(app.url);
  return new Promise((resolve) => {
    // Half-open allowed, as a client still uploading: the server's FIN does not end our sending.
    const socket = net.connect({ port: Number(port), host: hostname, allowHalfOpen: true });
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    const frame = Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n')]);
    let received = '';
    let answered = false;
    let writtenAfterAnswer = 0;
    let finished = false;
    let halfClosed = false;
    let error: string | null = null;
    const finish = () => {
      if (finished) return;
      finished = true;
      socket.destroy();
      resolve({ answer: received, writtenAfterAnswer, halfClosed, error });
    };
    const pump = () => {
      while (!socket.destroyed && !socket.writableEnded) {
        if (answered && writtenAfterAnswer >= afterAnswer) {
          socket.end('0\r\n\r\n');
          return;
        }
        if (answered) writtenAfterAnswer += chunk.length;
        if (!socket.write(frame)) return void socket.once('drain', pump);
      }
    };
    socket.on('connect', () => {
      const head = [`POST ${path} HTTP/1.1`, `Host: ${hostname}:${port}`, 'Transfer-Encoding: chunked', ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`), '', ''].join('\r\n');
      socket.write(head);
      pump();
    });
    socket.on('data', (data) => {
      received += data.toString('latin1');
      const headEnd = received.indexOf('\r\n\r\n');
      const length = /content-length: (\d+)/i.exec(received)?.[1];
      if (!answered && headEnd >= 0 && length && received.length >= headEnd + 4 + Number(length)) {
        answered = true;
        pump();
      }
    });
    socket.on('end', () => {
      halfClosed = true;
    });
    socket.on('close', finish);
    socket.on('error', (err: NodeJS.ErrnoException) => {
      error = err.code ?? err.message;
    });
    socket.setTimeout(20_000, () => {
      error = 'timeout';
      finish();
    });
  });
}

describe('a body over the limit, still being sent when the server refuses it', () => {
  it('a JSON body: the client reads the 413, keeps sending for a while, and the connection ends with a FIN', async () => {
    for (let round = 0; round < 3; round += 1) {
      const result = await uploadPastTheLimit('/api/v1/auth/guest', { 'Content-Type': 'application/json' });
      expect(result.answer).toMatch(/^HTTP\/1\.1 413 /);
      expect(result.answer).toMatch(/connection: close/i);
      expect(result.answer).toContain('PAYLOAD_TOO_LARGE');
      expect(result.writtenAfterAnswer).toBeGreaterThanOrEqual(1024 * 1024);
      expect(result.halfClosed).toBe(true);
      expect(result.error).toBeNull();
    }
  });

  it('a CSV import over 5 MB: the same', async () => {
    const result = await uploadPastTheLimit('/api/v1/admin/instruments/import', { 'Content-Type': 'text/csv', Authorization: `Bearer ${token}` });
    expect(result.answer).toMatch(/^HTTP\/1\.1 413 /);
    expect(result.answer).toContain('PAYLOAD_TOO_LARGE');
    expect(result.writtenAfterAnswer).toBeGreaterThanOrEqual(1024 * 1024);
    expect(result.halfClosed).toBe(true);
    expect(result.error).toBeNull();
  });

  it('a multipart body that never reaches a part, past the photo cap: refused the same way (not read for ever)', async () => {
    const boundary = '----linger-boundary';
    const guest = await app.request('/api/v1/auth/guest', { body: { deviceId: 'linger-photo-device-0001' } });
    const result = await uploadPastTheLimit('/api/v1/complaints/photos', { 'Content-Type': `multipart/form-data; boundary=${boundary}`, Authorization: `Bearer ${guest.body.token}` });
    // Bytes and bytes before any part: counted against the cap all the same.
    expect(result.answer).toMatch(/^HTTP\/1\.1 413 /);
    expect(result.answer).toContain('PAYLOAD_TOO_LARGE');
    expect(result.halfClosed).toBe(true);
    expect(result.error).toBeNull();
  });
});
