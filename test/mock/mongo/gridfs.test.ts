/**
 * GridFS through the official driver's GridFSBucket (what the BFF stores complaint photos with):
 * the files and chunks documents it writes, the indexes it makes, whole and ranged downloads,
 * downloads by name and revision, find, rename, delete and drop. The driver does the GridFS
 * logic; these pin down the server behaviour it relies on (sorts on n and uploadDate, Binary
 * round trips, listIndexes, the unique chunk index, deleteOne counts).
 */
import { Binary, Double, GridFSBucket, MongoServerError, ObjectId } from 'mongodb';
import { Readable } from 'node:stream';
import { rejection, useDriverFixture } from './fixture';

const f = useDriverFixture('gridfs');

/** Bytes whose every position is distinguishable, so a misplaced chunk shows. */
const pattern = (length: number) => Buffer.from(Array.from({ length }, (_, i) => (i * 7 + (i >> 8)) & 0xff));

async function uploadTo(bucket: GridFSBucket, name: string, bytes: Buffer, metadata?: Record<string, unknown>): Promise<ObjectId> {
  const stream = bucket.openUploadStream(name, { metadata });
  await new Promise<void>((resolve, reject) => {
    Readable.from([bytes]).pipe(stream).once('finish', resolve).once('error', reject);
  });
  return stream.id as ObjectId;
}

async function read(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

describe('GridFSBucket on the server', () => {
  test('an upload writes one files document and chunks 0..n-1 of chunkSize bytes (the last one shorter), as Binary', async () => {
    const bucket = new GridFSBucket(f.db, { bucketName: 'up', chunkSizeBytes: 1000 });
    const bytes = pattern(3500);
    const id = await uploadTo(bucket, 'a.png', bytes, { ownerId: 'u1', attached: false });
    const files = await f.db.collection('up.files').find().toArray();
    expect(files).toEqual([{ _id: id, length: 3500, chunkSize: 1000, uploadDate: expect.any(Date), filename: 'a.png', metadata: { ownerId: 'u1', attached: false } }]);
    const chunks = await f.db.collection('up.chunks').find({ files_id: id }).sort({ n: 1 }).toArray();
    expect(chunks.map((c) => c.n)).toEqual([0, 1, 2, 3]);
    expect(chunks.map((c) => (c.data as Binary).length())).toEqual([1000, 1000, 1000, 500]);
    expect(chunks[0].data).toBeInstanceOf(Binary);
    expect((chunks[0].data as Binary).sub_type).toBe(0);
    expect(Buffer.concat(chunks.map((c) => Buffer.from((c.data as Binary).buffer)))).toEqual(bytes);
  });

  test('the first upload makes the indexes the GridFS spec names, and only those', async () => {
    const bucket = new GridFSBucket(f.db, { bucketName: 'ix' });
    await uploadTo(bucket, 'x', pattern(10));
    const files = await f.db.collection('ix.files').indexes();
    const chunks = await f.db.collection('ix.chunks').indexes();
    expect(files.map(({ key, unique }) => ({ key, unique }))).toEqual([
      { key: { _id: 1 }, unique: undefined },
      { key: { filename: 1, uploadDate: 1 }, unique: undefined },
    ]);
    expect(chunks.map(({ key, unique }) => ({ key, unique }))).toEqual([
      { key: { _id: 1 }, unique: undefined },
      { key: { files_id: 1, n: 1 }, unique: true },
    ]);
    // A second bucket object on the same collections finds them and adds nothing.
    await uploadTo(new GridFSBucket(f.db, { bucketName: 'ix' }), 'y', pattern(10));
    expect(await f.db.collection('ix.files').indexes()).toHaveLength(2);
    expect(await f.db.collection('ix.chunks').indexes()).toHaveLength(2);
  });

  test('indexes made beforehand with double keys and other names (as the shell makes them) are taken as they are', async () => {
    await f.db.collection('pre.files').createIndex({ filename: new Double(1), uploadDate: new Double(1) } as any, { name: 'by_name' });
    await f.db.collection('pre.chunks').createIndex({ files_id: new Double(1), n: new Double(1) } as any, { name: 'by_file', unique: true });
    const bucket = new GridFSBucket(f.db, { bucketName: 'pre' });
    const id = await uploadTo(bucket, 'x', pattern(10));
    expect(await read(bucket.openDownloadStream(id))).toEqual(pattern(10));
    expect((await f.db.collection('pre.files').indexes()).map((i) => i.name)).toEqual(['_id_', 'by_name']);
    expect((await f.db.collection('pre.chunks').indexes()).map((i) => i.name)).toEqual(['_id_', 'by_file']);
  });

  test('the chunks index is unique: a second chunk n for a file is E11000', async () => {
    const bucket = new GridFSBucket(f.db, { bucketName: 'uq', chunkSizeBytes: 4 });
    const id = await uploadTo(bucket, 'x', pattern(6));
    const err = await rejection(f.db.collection('uq.chunks').insertOne({ files_id: id, n: 1, data: new Binary(Buffer.from('dup')) }));
    expect(err).toBeInstanceOf(MongoServerError);
    expect(err.code).toBe(11000);
    expect(err.keyPattern).toEqual({ files_id: 1, n: 1 });
  });

  test('downloads the whole file, ranges across and on chunk boundaries, the last byte, and an empty file', async () => {
    const bucket = new GridFSBucket(f.db, { bucketName: 'dl', chunkSizeBytes: 256 });
    const bytes = pattern(2000);
    const id = await uploadTo(bucket, 'big', bytes);
    expect(await read(bucket.openDownloadStream(id))).toEqual(bytes);
    expect(await read(bucket.openDownloadStream(id, { start: 250, end: 1030 }))).toEqual(bytes.subarray(250, 1030));
    expect(await read(bucket.openDownloadStream(id, { start: 1999, end: 2000 }))).toEqual(bytes.subarray(1999));
    expect(await read(bucket.openDownloadStream(id, { start: 512, end: 768 }))).toEqual(bytes.subarray(512, 768));
    const empty = await uploadTo(bucket, 'empty', Buffer.alloc(0));
    expect(await f.db.collection('dl.chunks').countDocuments({ files_id: empty })).toBe(0);
    expect(await read(bucket.openDownloadStream(empty))).toEqual(Buffer.alloc(0));
  });

  test('a missing file or a missing chunk fails the download', async () => {
    const bucket = new GridFSBucket(f.db, { bucketName: 'miss', chunkSizeBytes: 100 });
    const none = await rejection(read(bucket.openDownloadStream(new ObjectId())));
    expect(String(none.message)).toMatch(/FileNotFound|not found/i);
    const id = await uploadTo(bucket, 'holey', pattern(350));
    await f.db.collection('miss.chunks').deleteOne({ files_id: id, n: 1 });
    const holey = await rejection(read(bucket.openDownloadStream(id)));
    expect(String(holey.message)).toMatch(/ChunkIsMissing/);
  });

  test('downloads by name pick revisions by uploadDate: -1 the newest, 0 the oldest', async () => {
    const bucket = new GridFSBucket(f.db, { bucketName: 'rev' });
    await uploadTo(bucket, 'same', Buffer.from('one'));
    await new Promise((r) => setTimeout(r, 5));
    await uploadTo(bucket, 'same', Buffer.from('two'));
    await new Promise((r) => setTimeout(r, 5));
    await uploadTo(bucket, 'same', Buffer.from('three'));
    expect(String(await read(bucket.openDownloadStreamByName('same')))).toBe('three');
    expect(String(await read(bucket.openDownloadStreamByName('same', { revision: 0 })))).toBe('one');
    expect(String(await read(bucket.openDownloadStreamByName('same', { revision: 1 })))).toBe('two');
    expect(String(await read(bucket.openDownloadStreamByName('same', { revision: -2 })))).toBe('two');
  });

  test('find filters on metadata with sort, skip and limit; rename changes the filename', async () => {
    const bucket = new GridFSBucket(f.db, { bucketName: 'find' });
    const ids = [];
    for (let i = 0; i < 5; i += 1) ids.push(await uploadTo(bucket, `f${i}`, pattern(i + 1), { ownerId: i % 2 ? 'odd' : 'even', attached: false }));
    const even = await bucket.find({ 'metadata.ownerId': 'even' }, { sort: { length: -1 }, skip: 1, limit: 1 }).toArray();
    expect(even.map((d) => d.filename)).toEqual(['f2']);
    await bucket.rename(ids[1], 'renamed');
    expect((await bucket.find({ _id: ids[1] }).toArray())[0].filename).toBe('renamed');
    const err = await rejection(bucket.rename(new ObjectId(), 'nobody'));
    expect(String(err.message)).toMatch(/not found|File not found/i);
  });

  test('delete removes the files document and every chunk; deleting a missing id is an error', async () => {
    const bucket = new GridFSBucket(f.db, { bucketName: 'del', chunkSizeBytes: 10 });
    const keep = await uploadTo(bucket, 'keep', pattern(25));
    const gone = await uploadTo(bucket, 'gone', pattern(25));
    await bucket.delete(gone);
    expect(await f.db.collection('del.files').countDocuments({ _id: gone })).toBe(0);
    expect(await f.db.collection('del.chunks').countDocuments({ files_id: gone })).toBe(0);
    expect(await f.db.collection('del.chunks').countDocuments({ files_id: keep })).toBe(3);
    const err = await rejection(bucket.delete(gone));
    expect(String(err.message)).toMatch(/File not found for id/);
  });

  test('drop removes both collections', async () => {
    const bucket = new GridFSBucket(f.db, { bucketName: 'drop' });
    await uploadTo(bucket, 'x', pattern(10));
    await bucket.drop();
    const names = (await f.db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name);
    expect(names.filter((n) => n.startsWith('drop.'))).toEqual([]);
  });

  test('an aborted upload leaves no chunks and no files document', async () => {
    const bucket = new GridFSBucket(f.db, { bucketName: 'abort', chunkSizeBytes: 10 });
    const stream = bucket.openUploadStream('partial');
    await new Promise<void>((resolve, reject) => stream.write(pattern(35), (err) => (err ? reject(err) : resolve())));
    await stream.abort();
    expect(await f.db.collection('abort.chunks').countDocuments({ files_id: stream.id })).toBe(0);
    expect(await f.db.collection('abort.files').countDocuments({ _id: stream.id })).toBe(0);
  });
});
