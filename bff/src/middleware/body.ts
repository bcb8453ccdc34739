import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { Context, Middleware } from 'koa';
import { AppError } from '../errors';

declare module 'koa' {
  interface Request {
    /** The parsed JSON body, set by jsonBody() on routes that declare a body schema. */
    body?: unknown;
  }
}

/** JSON bodies up to this size unless a route declares its own `bodyLimit`. */
export const DEFAULT_JSON_LIMIT_BYTES = 100 * 1024;

const payloadTooLarge = (limitBytes: number) =>
  new AppError(413, 'PAYLOAD_TOO_LARGE', `请求内容过大（上限 ${formatBytes(limitBytes)}）`, { limitBytes });

/**
 * Reads a JSON body for one route. It runs after the access check and the rate limit, so a
 * caller who may not use the route never makes us read a byte. A body that is not JSON (a
 * form, text, no content type) is a 415, not silently ignored; an empty body parses as nothing.
 */
export function jsonBody(limitBytes = DEFAULT_JSON_LIMIT_BYTES): Middleware {
  return async (ctx, next) => {
    if (hasBody(ctx)) {
      assertMediaType(ctx, 'application/json', '+json');
      const charset = (ctx.request.charset || 'utf-8').toLowerCase();
      if (charset !== 'utf-8' && charset !== 'utf8') throw new AppError(415, 'UNSUPPORTED_MEDIA_TYPE', 'JSON 须以 UTF-8 编码');
      ctx.request.body = parseJson(await readRequestBytes(ctx, limitBytes));
    }
    await next();
  };
}

/**
 * For routes whose handler reads its own body (`rawBody`): a body of another media type is a
 * 415 before the handler runs; the bytes stay unread.
 */
export function rawBodyOf(mediaType: string): Middleware {
  return async (ctx, next) => {
    if (hasBody(ctx)) assertMediaType(ctx, mediaType);
    await next();
  };
}

function assertMediaType(ctx: Context, ...types: string[]) {
  if (!ctx.is(...types)) throw new AppError(415, 'UNSUPPORTED_MEDIA_TYPE', `不支持的内容类型，请以 ${types[0]} 发送`);
}

/** Whether the request carries a body at all (a length over zero, or chunked). */
export function hasBody(ctx: Context): boolean {
  const length = ctx.get('Content-Length');
  return ctx.get('Transfer-Encoding') !== '' || (length !== '' && length !== '0');
}

/**
 * The request body's bytes, up to `limitBytes`: a declared length over the limit is refused
 * before reading, a body that grows past it is refused once it does (413 PAYLOAD_TOO_LARGE).
 * For routes that declare `rawBody` and read their own bytes (the CSV import).
 */
export async function readRequestBytes(ctx: Context, limitBytes: number): Promise<Buffer> {
  const declared = Number(ctx.get('Content-Length') || NaN);
  if (declared > limitBytes) throw payloadTooLarge(limitBytes);
  const chunks: Buffer[] = [];
  let received = 0;
  try {
    // Leaving the loop early must not destroy the request (and with it the socket, before the
    // answer is written): closeUnreadBodies closes the connection in stages after the answer.
    for await (const chunk of ctx.req.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer>) {
      received += chunk.length;
      if (received > limitBytes) throw payloadTooLarge(limitBytes);
      chunks.push(chunk);
    }
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw incomplete();
  }
  if (!Number.isNaN(declared) && received !== declared) throw incomplete();
  return Buffer.concat(chunks);
}

const incomplete = () => new AppError(400, 'BAD_REQUEST', '请求内容不完整');

/**
 * A request answered without its body read (refused by the access check, an unknown path, over
 * the limit): close the connection after the answer, so the client cannot make us drain the
 * rest of a large body to keep the connection alive — but close it in stages (RFC 9112 §9.6):
 * a client still sending would otherwise get a TCP reset that can wipe out the answer before it
 * reads it (a phone uploading a photo over the cap would see "connection reset", not the 413).
 */
export function closeUnreadBodies(): Middleware {
  return async (ctx, next) => {
    try {
      await next();
    } finally {
      if (hasBody(ctx) && !ctx.req.complete) {
        ctx.set('Connection', 'close');
        lingerOnClose(ctx.req);
      }
    }
  };
}

/** How long a connection closed with a body unread keeps reading (and dropping) what the client still sends. */
export const LINGER_MS = 5_000;

/**
 * Once the answer is written, Node's server closes a `Connection: close` connection with
 * `socket.destroySoon()`: the socket is destroyed as soon as the answer is flushed, with the
 * client's bytes still arriving. Here it is half-closed instead (the answer and a FIN go out)
 * while the rest of the body is read and dropped, and destroyed when the client closes its side
 * or after LINGER_MS, whichever comes first.
 */
function lingerOnClose(req: IncomingMessage): void {
  const socket = req.socket as Socket | null;
  if (!socket || typeof socket.destroySoon !== 'function') return;
  socket.destroySoon = function lingeringClose(this: Socket) {
    if (this.destroyed) return;
    req.resume(); // a reader that gave up (unpiped, stopped iterating) left the body paused
    const timer = setTimeout(() => this.destroy(), LINGER_MS);
    timer.unref();
    this.once('close', () => clearTimeout(timer));
    this.once('end', () => this.destroy());
    this.end();
  };
}

/** Strict UTF-8: bytes that are not UTF-8 are an error, not U+FFFD stored in a name. */
function parseJson(bytes: Buffer): unknown {
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return text.trim() === '' ? undefined : JSON.parse(text);
  } catch {
    throw new AppError(400, 'INVALID_JSON', '请求体不是有效的 JSON');
  }
}

function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${Math.round(bytes / 1024 / 102.4) / 10} MB` : `${Math.round(bytes / 1024)} KB`;
}
