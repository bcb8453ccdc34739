import http from 'node:http';
import { ObjectId } from 'mongodb';
import { COMPLAINT_LIMITS } from '@shared/complaints';
import { deleteStalePhotos, sweepStalePhotosNow } from '@bff/services/photos';
import { startTestApp, type TestApp } from '../helpers/app';

/** TRUST_PROXY=1: each test speaks from its own client address, so one test's rate limits leave the others alone. */
let app: TestApp;
let codes: string[];
let addresses = 0;
const address = () => `192.0.2.${(addresses += 1)}`;

beforeAll(async () => {
  app = await startTestApp({ TRUST_PROXY: '1' });
  const regulator = await app.tokenFor('regulator', { regionCode: '370102' });
  ({ codes } = await app.registerBusinessWithInstruments(regulator, { name: '历下区某超市', industry: 'retail', regionCode: '370102' }, 'price_scale', 1));
});
afterAll(() => app.stop());

interface Caller {
  token: string;
  ip: string;
}

async function wechatUser(name: string, ip = address()): Promise<Caller> {
  const res = await app.request('/api/v1/auth/wechat', { body: { code: `js-code-${name}` }, headers: { 'x-forwarded-for': ip } });
  expect(res.status).toBe(200);
  return { token: res.body.token, ip };
}

/** Image bytes: the real signatures of each type, then filler. */
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(2000, 1)]);
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(3000, 2)]);
const WEBP = Buffer.concat([Buffer.from('RIFF'), Buffer.from([0x10, 0, 0, 0]), Buffer.from('WEBPVP8 '), Buffer.alloc(500, 3)]);

/** What a browser's FormData (and Taro.uploadFile) sends: one file in field `photo`, with a name and a declared type. */
async function upload(who: Caller, bytes: Buffer, filename: string, declaredType = 'image/jpeg', field = 'photo') {
  const form = new FormData();
  form.append(field, new Blob([new Uint8Array(bytes)], { type: declaredType }), filename);
  const res = await fetch(`${app.url}/api/v1/complaints/photos`, { method: 'POST', body: form, headers: { authorization: `Bearer ${who.token}`, 'x-forwarded-for': who.ip } });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, body: text ? JSON.parse(text) : undefined };
}

async function download(who: Caller, id: string) {
  const res = await fetch(`${app.url}/api/v1/complaints/photos/${id}`, { headers: { authorization: `Bearer ${who.token}`, 'x-forwarded-for': who.ip } });
  return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
}

const complain = (who: Caller, photos: string[]) =>
  app.request('/api/v1/complaints', { token: who.token, headers: { 'x-forwarded-for': who.ip }, body: { instrumentCode: codes[0], category: 'label', content: '标签看起来是复印的，颜色不对。', photos } });

describe('uploading complaint photos', () => {
  it('stores a PNG (even one named .jpg and declared as JPEG) and gives it back to its owner with its real type', async () => {
    const alice = await wechatUser('photo-alice');
    const res = await upload(alice, PNG, 'IMG_0001.jpg', 'image/jpeg');
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ id: expect.stringMatching(/^[0-9a-f]{24}$/), contentType: 'image/png', size: PNG.length });
    const back = await download(alice, res.body.id);
    expect(back.status).toBe(200);
    expect(back.headers.get('content-type')).toBe('image/png');
    expect(back.headers.get('x-content-type-options')).toBe('nosniff');
    expect(back.headers.get('cache-control')).toMatch(/^private/);
    expect(back.bytes.equals(PNG)).toBe(true);
  });

  it('recognises JPEG and WebP by their first bytes', async () => {
    const bob = await wechatUser('photo-bob');
    expect((await upload(bob, JPEG, 'a.png', 'image/png')).body.contentType).toBe('image/jpeg');
    expect((await upload(bob, WEBP, 'b', 'application/octet-stream')).body.contentType).toBe('image/webp');
  });

  it('refuses a text file named .jpg with 415 PHOTO_TYPE_NOT_ALLOWED', async () => {
    const carol = await wechatUser('photo-carol');
    const res = await upload(carol, Buffer.from('这不是图片，只是一段文字。'.repeat(10)), 'photo.jpg', 'image/jpeg');
    expect(res.status).toBe(415);
    expect(res.body.error.code).toBe('PHOTO_TYPE_NOT_ALLOWED');
    const svg = await upload(carol, Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'), 'x.svg', 'image/svg+xml');
    expect(svg.status).toBe(415);
  });

  it('refuses a 6 MB photo with 413 PAYLOAD_TOO_LARGE', async () => {
    const dave = await wechatUser('photo-dave');
    const big = Buffer.concat([JPEG, Buffer.alloc(6 * 1024 * 1024)]);
    const res = await upload(dave, big, 'big.jpg');
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('refuses a chunked upload (no declared length) once it grows past the cap, without reading the rest', async () => {
    const frank = await wechatUser('photo-chunked');
    const boundary = '----photo-boundary-7MA4YWxkTrZu0gW';
    const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="photo"; filename="big.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`);
    const offered = 64 * 1024 * 1024;
    let pulled = 0;
    const send = () => {
      pulled = 0;
      const body = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (pulled === 0) controller.enqueue(new Uint8Array(Buffer.concat([head, JPEG])));
          if (pulled >= offered) return controller.close();
          pulled += 64 * 1024;
          controller.enqueue(new Uint8Array(64 * 1024));
        },
      });
      return fetch(`${app.url}/api/v1/complaints/photos`, {
        method: 'POST',
        body,
        duplex: 'half',
        headers: { authorization: `Bearer ${frank.token}`, 'x-forwarded-for': frank.ip, 'content-type': `multipart/form-data; boundary=${boundary}` },
      } as RequestInit);
    };
    // The server answers 413 while this client is still sending, then closes in stages (it goes
    // on reading what is still coming for a while), so the answer is not lost to a reset.
    for (let round = 0; round < 3; round += 1) {
      const res = await send();
      const pulledWhenAnswered = pulled;
      expect(res.status).toBe(413);
      expect((await res.json()).error.code).toBe('PAYLOAD_TOO_LARGE');
      expect(pulledWhenAnswered).toBeLessThan(offered);
    }
    const stored = await app.server.deps.models.Complaint.db.db!.collection('complaintPhotos.files').countDocuments({ length: { $gt: COMPLAINT_LIMITS.photoBytes } });
    expect(stored).toBe(0);
  });

  it('takes a photo of exactly the cap', async () => {
    const erin = await wechatUser('photo-erin');
    const atCap = Buffer.concat([JPEG, Buffer.alloc(COMPLAINT_LIMITS.photoBytes - JPEG.length)]);
    const res = await upload(erin, atCap, 'cap.jpg');
    expect(res.status).toBe(201);
    expect(res.body.size).toBe(COMPLAINT_LIMITS.photoBytes);
  });

  it('needs the file in field photo, sent as multipart/form-data', async () => {
    const frank = await wechatUser('photo-frank');
    const wrongField = await upload(frank, PNG, 'a.png', 'image/png', 'file');
    expect(wrongField.status).toBe(400);
    expect(wrongField.body.error.code).toBe('PHOTO_REQUIRED');
    const raw = await fetch(`${app.url}/api/v1/complaints/photos`, { method: 'POST', body: PNG, headers: { authorization: `Bearer ${frank.token}`, 'x-forwarded-for': frank.ip, 'content-type': 'image/png' } });
    expect(raw.status).toBe(415);
  });

  it('a multipart body without a boundary, or cut off before its end, is 400 MULTIPART_INVALID', async () => {
    const rita = await wechatUser('photo-rita');
    const post = (contentType: string, body: Buffer) =>
      fetch(`${app.url}/api/v1/complaints/photos`, { method: 'POST', body: new Uint8Array(body), headers: { authorization: `Bearer ${rita.token}`, 'x-forwarded-for': rita.ip, 'content-type': contentType } });
    const noBoundary = await post('multipart/form-data', PNG);
    expect(noBoundary.status).toBe(400);
    expect((await noBoundary.json()).error.code).toBe('MULTIPART_INVALID');
    const head = Buffer.from('--b0undary\r\nContent-Disposition: form-data; name="photo"; filename="a.png"\r\nContent-Type: image/png\r\n\r\n');
    const cut = await post('multipart/form-data; boundary=b0undary', Buffer.concat([head, PNG]));
    expect(cut.status).toBe(400);
    expect((await cut.json()).error.code).toBe('MULTIPART_INVALID');
    const whole = await post('multipart/form-data; boundary=b0undary', Buffer.concat([head, PNG, Buffer.from('\r\n--b0undary--\r\n')]));
    expect(whole.status).toBe(201);
  });

  it('a client that goes away half-way through an upload leaves nothing stored and the server serving', async () => {
    const sam = await wechatUser('photo-sam');
    const before = await app.server.deps.models.Complaint.db.db!.collection('complaintPhotos.files').countDocuments();
    const head = Buffer.from('--b0undary\r\nContent-Disposition: form-data; name="photo"; filename="a.png"\r\nContent-Type: image/png\r\n\r\n');
    await new Promise<void>((resolve) => {
      const req = http.request(`${app.url}/api/v1/complaints/photos`, {
        method: 'POST',
        headers: { authorization: `Bearer ${sam.token}`, 'x-forwarded-for': sam.ip, 'content-type': 'multipart/form-data; boundary=b0undary', 'content-length': String(head.length + 100_000) },
      });
      req.on('error', () => resolve());
      req.write(Buffer.concat([head, PNG]), () => setImmediate(() => req.destroy()));
      req.on('close', () => resolve());
    });
    const after = await upload(sam, PNG, 'a.png');
    expect(after.status).toBe(201);
    expect(await app.server.deps.models.Complaint.db.db!.collection('complaintPhotos.files').countDocuments()).toBe(before + 1);
  });

  it("another user's photo is 404, as if it did not exist", async () => {
    const gina = await wechatUser('photo-gina');
    const hank = await wechatUser('photo-hank');
    const res = await upload(gina, PNG, 'a.png');
    const other = await download(hank, res.body.id);
    expect(other.status).toBe(404);
    expect(JSON.parse(other.bytes.toString()).error.code).toBe('PHOTO_NOT_FOUND');
    expect((await download(gina, '0123456789abcdef01234567')).status).toBe(404);
  });

  it('rate-limits uploads with 429 RATE_LIMITED and Retry-After', async () => {
    const ivan = await wechatUser('photo-ivan');
    const statuses = [];
    for (let i = 0; i < 21; i += 1) statuses.push(await upload(ivan, JPEG, 'x.jpg'));
    expect(statuses.slice(0, 20).map((s) => s.status)).toEqual(Array(20).fill(201));
    expect(statuses[20].status).toBe(429);
    expect(statuses[20].body.error.code).toBe('RATE_LIMITED');
    expect(Number(statuses[20].headers.get('retry-after'))).toBeGreaterThan(0);
  });
});

describe('photos in a complaint', () => {
  it('attaches my own uploads; the complaint lists them and I can read them', async () => {
    const jack = await wechatUser('photo-jack');
    const a = await upload(jack, PNG, 'a.png');
    const b = await upload(jack, JPEG, 'b.jpg');
    const res = await complain(jack, [a.body.id, b.body.id]);
    expect(res.status).toBe(201);
    const view = await app.request(`/api/v1/complaints/${res.body.trackingNo}`, { token: jack.token, headers: { 'x-forwarded-for': jack.ip } });
    expect(view.body.photos).toEqual([`/api/v1/complaints/photos/${a.body.id}`, `/api/v1/complaints/photos/${b.body.id}`]);
    const back = await fetch(app.url + view.body.photos[1], { headers: { authorization: `Bearer ${jack.token}`, 'x-forwarded-for': jack.ip } });
    expect(back.headers.get('content-type')).toBe('image/jpeg');
  });

  it("another user's photo id is 400 COMPLAINT_PHOTO_INVALID, and no complaint is filed", async () => {
    const kate = await wechatUser('photo-kate');
    const liam = await wechatUser('photo-liam');
    const hers = await upload(kate, PNG, 'a.png');
    const res = await complain(liam, [hers.body.id]);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('COMPLAINT_PHOTO_INVALID');
    const mine = await app.request('/api/v1/complaints/mine', { token: liam.token, headers: { 'x-forwarded-for': liam.ip } });
    expect(mine.body.total).toBe(0);
  });

  it('a photo already attached to one complaint cannot go in another; an unknown id neither', async () => {
    const mia = await wechatUser('photo-mia');
    const photo = await upload(mia, PNG, 'a.png');
    expect((await complain(mia, [photo.body.id])).status).toBe(201);
    const again = await complain(mia, [photo.body.id]);
    expect(again.status).toBe(400);
    expect(again.body.error.code).toBe('COMPLAINT_PHOTO_INVALID');
    const unknown = await complain(mia, ['0123456789abcdef01234567']);
    expect(unknown.body.error.code).toBe('COMPLAINT_PHOTO_INVALID');
  });

  it('two complaints racing for one photo: exactly one gets it', async () => {
    const noah = await wechatUser('photo-noah');
    const photo = await upload(noah, PNG, 'a.png');
    const answers = await Promise.all([complain(noah, [photo.body.id]), complain(noah, [photo.body.id])]);
    expect(answers.map((a) => a.status).sort()).toEqual([201, 400]);
    const mine = await app.request('/api/v1/complaints/mine', { token: noah.token, headers: { 'x-forwarded-for': noah.ip } });
    expect(mine.body.total).toBe(1);
  });

  it('more than 3 photos is 400 VALIDATION_FAILED', async () => {
    const olga = await wechatUser('photo-olga');
    const ids = Array.from({ length: 4 }, (_, i) => `0123456789abcdef0123456${i}`);
    const res = await complain(olga, ids);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
  });
});

describe('photos nobody attached', () => {
  it('are deleted (file and chunks) once older than a day; attached and recent ones stay', async () => {
    const pete = await wechatUser('photo-pete');
    const stale = await upload(pete, PNG, 'stale.png');
    const attached = await upload(pete, JPEG, 'kept.jpg');
    expect((await complain(pete, [attached.body.id])).status).toBe(201);
    const recent = await upload(pete, WEBP, 'recent.webp');
    const conn = app.server.deps.models.Complaint.db;
    const files = conn.db!.collection('complaintPhotos.files');
    const twoDaysAgo = new Date(Date.now() - 2 * 24 * 3600 * 1000);
    await files.updateMany({ _id: { $in: [new ObjectId(stale.body.id), new ObjectId(attached.body.id)] } }, { $set: { uploadDate: twoDaysAgo } });

    expect(await deleteStalePhotos(conn)).toBeGreaterThanOrEqual(1);
    expect((await download(pete, stale.body.id)).status).toBe(404);
    expect(await conn.db!.collection('complaintPhotos.chunks').countDocuments({ files_id: new ObjectId(stale.body.id) })).toBe(0);
    expect((await download(pete, attached.body.id)).status).toBe(200);
    expect((await download(pete, recent.body.id)).status).toBe(200);
  });

  it('the sweep after uploads runs at most once an hour', async () => {
    const quinn = await wechatUser('photo-quinn');
    const conn = app.server.deps.models.Complaint.db;
    const files = conn.db!.collection('complaintPhotos.files');
    const later = new Date(Date.now() + 2 * 3600 * 1000);
    await sweepStalePhotosNow(conn, later);
    const old = await upload(quinn, PNG, 'old.png');
    await files.updateOne({ _id: new ObjectId(old.body.id) }, { $set: { uploadDate: new Date(later.getTime() - 2 * 24 * 3600 * 1000) } });
    await sweepStalePhotosNow(conn, new Date(later.getTime() + 30 * 60 * 1000));
    expect((await download(quinn, old.body.id)).status).toBe(200);
    await sweepStalePhotosNow(conn, new Date(later.getTime() + 61 * 60 * 1000));
    expect((await download(quinn, old.body.id)).status).toBe(404);
  });
});
