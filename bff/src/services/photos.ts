/**
 * Complaint photos: read from a multipart upload (one file in field `photo`, what
 * `Taro.uploadFile` and a browser's FormData send), recognised by their first bytes, stored in
 * GridFS with their owner, and attached to at most one complaint of that owner.
 */
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import busboy from 'busboy';
import mongoose, { Types, type ClientSession, type Connection } from 'mongoose';
import type { PhotoUploaded } from '@shared/api';
import { COMPLAINT_LIMITS, COMPLAINT_PHOTO_TYPES, type ComplaintPhotoType } from '@shared/complaints';
import { AppError, badRequest, notFound } from '../errors';
import { COMPLAINT_PHOTO_BUCKET } from '../models/complaint';

/** Room for the multipart framing around the file (boundaries, part headers) in a declared length. */
const MULTIPART_OVERHEAD_BYTES = 16 * 1024;
/** Enough leading bytes to tell the allowed types apart (WebP needs 12). */
const SNIFF_BYTES = 12;
/** An upload nobody attached to a complaint within this long is deleted. */
export const UNATTACHED_PHOTO_TTL_MS = 24 * 60 * 60 * 1000;

export const photoTooLarge = () =>
  new AppError(413, 'PAYLOAD_TOO_LARGE', `图片过大（上限 ${COMPLAINT_LIMITS.photoBytes / 1024 / 1024} MB）`, { limitBytes: COMPLAINT_LIMITS.photoBytes });
const typeNotAllowed = () => new AppError(415, 'PHOTO_TYPE_NOT_ALLOWED', '只能上传 JPEG、PNG 或 WebP 格式的图片', { allowed: COMPLAINT_PHOTO_TYPES });
const photoNotFound = () => notFound('PHOTO_NOT_FOUND', '未找到该图片');

/** The type the bytes are, by their signature; null for anything else. Names and declared types are never trusted. */
export function sniffPhotoType(head: Buffer): ComplaintPhotoType | null {
  if (head.length >= 3 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'image/jpeg';
  if (head.length >= 8 && head.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (head.length >= 12 && head.toString('latin1', 0, 4) === 'RIFF' && head.toString('latin1', 8, 12) === 'WEBP') return 'image/webp';
  return null;
}

export interface ReceivedPhoto {
  bytes: Buffer;
  contentType: ComplaintPhotoType;
}

/**
 * Reads the `photo` file of a multipart/form-data request. Never holds more than the cap: a
 * declared length over it is refused before reading, a file that grows past it is refused when it
 * does (413), a body that grows past the cap and the form's overhead is refused when it does
 * (413), and bytes that are not an allowed image are refused as soon as their first bytes
 * arrive (415). On a refusal the rest of the request is left unread (the connection then closes).
 */
export function receivePhoto(req: IncomingMessage, headers: IncomingHttpHeaders, limitBytes = COMPLAINT_LIMITS.photoBytes): Promise<ReceivedPhoto> {
  const declared = Number(headers['content-length'] ?? NaN);
  if (declared > limitBytes + MULTIPART_OVERHEAD_BYTES) return Promise.reject(photoTooLarge());
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      // busboy signals its limit when a file reaches it: one byte more than the cap means "over".
      parser = busboy({ headers, limits: { files: 1, fileSize: limitBytes + 1, fields: 10, fieldSize: 1024, parts: 12, headerPairs: 20 } });
    } catch {
      reject(badRequest('MULTIPART_INVALID', '上传内容格式不正确'));
      return;
    }
    let settled = false;
    let photo: ReceivedPhoto | null = null;
    const fail = (err: AppError) => {
      if (settled) return;
      settled = true;
      req.unpipe(parser);
      reject(err);
    };
    const malformed = () => fail(badRequest('MULTIPART_INVALID', '上传内容格式不正确'));
    parser.on('file', (field, file: Readable & { truncated?: boolean }) => {
      // A form cut off inside a file errors the file's stream: unheard, that would end the process.
      file.on('error', malformed);
      if (field !== 'photo' || photo) {
        file.resume();
        return;
      }
      const chunks: Buffer[] = [];
      let received = 0;
      let contentType: ComplaintPhotoType | null = null;
      file.on('data', (chunk: Buffer) => {
        if (settled) return; // refused: what the parser still holds is dropped, not kept
        chunks.push(chunk);
        received += chunk.length;
        if (!contentType && received >= SNIFF_BYTES) {
          contentType = sniffPhotoType(Buffer.concat(chunks));
          if (!contentType) fail(typeNotAllowed());
        }
      });
      file.on('limit', () => fail(photoTooLarge()));
      file.on('end', () => {
        if (settled || file.truncated) return;
        const bytes = Buffer.concat(chunks);
        const type = contentType ?? sniffPhotoType(bytes);
        if (!type) fail(typeNotAllowed());
        else photo = { bytes, contentType: type };
      });
    });
    parser.on('error', malformed);
    parser.on('close', () => {
      if (settled) return;
      settled = true;
      if (photo) resolve(photo);
      else reject(badRequest('PHOTO_REQUIRED', '请在 photo 字段中上传一张图片'));
    });
    req.once('close', () => {
      if (!req.complete) fail(badRequest('BAD_REQUEST', '请求内容不完整'));
    });
    // Without a declared length the whole body is counted too: bytes before the first part, or
    // parts that are not the photo, would otherwise be read for as long as a client sends them.
    let total = 0;
    req.on('data', (chunk: Buffer) => {
      total += chunk.length;
      if (total > limitBytes + MULTIPART_OVERHEAD_BYTES) fail(photoTooLarge());
    });
    req.pipe(parser);
  });
}

export function photoBucket(conn: Connection) {
  return new mongoose.mongo.GridFSBucket(conn.db!, { bucketName: COMPLAINT_PHOTO_BUCKET });
}

interface PhotoFile {
  _id: Types.ObjectId;
  length: number;
  uploadDate: Date;
  metadata: { ownerId: Types.ObjectId; contentType: ComplaintPhotoType; attached: boolean; complaint?: Types.ObjectId };
}

const filesOf = (conn: Connection) => conn.db!.collection<PhotoFile>(`${COMPLAINT_PHOTO_BUCKET}.files`);

/** Stores a received photo as the owner's, not yet attached to any complaint. */
export async function storeComplaintPhoto(conn: Connection, ownerId: string, photo: ReceivedPhoto): Promise<PhotoUploaded> {
  const extension = photo.contentType.slice('image/'.length);
  const upload = photoBucket(conn).openUploadStream(`complaint-photo.${extension}`, {
    metadata: { ownerId: new Types.ObjectId(ownerId), contentType: photo.contentType, attached: false },
  });
  await new Promise<void>((resolve, reject) => {
    upload.once('finish', () => resolve());
    upload.once('error', reject);
    upload.end(photo.bytes);
  });
  return { id: String(upload.id), contentType: photo.contentType, size: photo.bytes.length };
}

/** The photo's bytes for its owner; anyone else gets 404, as if it did not exist. */
export async function openOwnPhoto(conn: Connection, ownerId: string, id: string): Promise<{ stream: Readable; contentType: string; length: number }> {
  const file = await filesOf(conn).findOne({ _id: new Types.ObjectId(id), 'metadata.ownerId': new Types.ObjectId(ownerId) });
  if (!file) throw photoNotFound();
  return { stream: photoBucket(conn).openDownloadStream(file._id), contentType: file.metadata.contentType, length: file.length };
}

/** Of these photo ids, the ones that are not the owner's own unattached uploads. */
export async function unusablePhotos(conn: Connection, ownerId: string, ids: string[]): Promise<string[]> {
  const usable = await filesOf(conn)
    .find({ _id: { $in: ids.map((id) => new Types.ObjectId(id)) }, 'metadata.ownerId': new Types.ObjectId(ownerId), 'metadata.attached': false }, { projection: { _id: 1 } })
    .toArray();
  const found = new Set(usable.map((f) => String(f._id)));
  return ids.filter((id) => !found.has(id));
}

export const photoInvalid = (ids: string[]) => badRequest('COMPLAINT_PHOTO_INVALID', '图片无效或已被使用，请重新上传', { photos: ids });

/**
 * Marks the photos as the complaint's, inside the complaint's transaction: if any of them was
 * taken meanwhile (another complaint, the stale sweep), the whole complaint is refused.
 */
export async function attachPhotos(conn: Connection, ownerId: string, ids: string[], complaintId: Types.ObjectId, session: ClientSession): Promise<void> {
  if (!ids.length) return;
  const result = await filesOf(conn).updateMany(
    { _id: { $in: ids.map((id) => new Types.ObjectId(id)) }, 'metadata.ownerId': new Types.ObjectId(ownerId), 'metadata.attached': false },
    { $set: { 'metadata.attached': true, 'metadata.complaint': complaintId } },
    { session },
  );
  if (result.modifiedCount !== ids.length) throw photoInvalid(ids);
}

/**
 * Deletes uploads never attached to a complaint that are older than a day; returns how many. Each
 * file document is removed only while still unattached (a complaint may take it meanwhile), then
 * its chunks: the same two steps as GridFSBucket.delete(), with the condition in the first.
 */
export async function deleteStalePhotos(conn: Connection, now = new Date()): Promise<number> {
  const files = filesOf(conn);
  const stale = await files
    .find({ 'metadata.attached': false, uploadDate: { $lt: new Date(now.getTime() - UNATTACHED_PHOTO_TTL_MS) } }, { projection: { _id: 1 } })
    .toArray();
  let deleted = 0;
  for (const file of stale) {
    const removed = await files.deleteOne({ _id: file._id, 'metadata.attached': false });
    if (!removed.deletedCount) continue;
    await conn.db!.collection(`${COMPLAINT_PHOTO_BUCKET}.chunks`).deleteMany({ files_id: file._id });
    deleted += 1;
  }
  return deleted;
}

const lastSweep = new WeakMap<Connection, number>();
const SWEEP_EVERY_MS = 60 * 60 * 1000;

/** Runs the stale-photo sweep at most once an hour per connection; called after each upload. */
export async function sweepStalePhotosNow(conn: Connection, now = new Date()): Promise<void> {
  const last = lastSweep.get(conn);
  if (last !== undefined && now.getTime() - last < SWEEP_EVERY_MS) return;
  lastSweep.set(conn, now.getTime());
  await deleteStalePhotos(conn, now);
}
