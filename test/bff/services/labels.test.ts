import { Writable } from 'node:stream';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { labelPng, labelSheetPdf, labelSvg, LabelOutputClosedError, type LabelData } from '@bff/services/labels';

const BASE_URL = 'https://jiliang.example.gov.cn';

function label(serial: number, overrides: Partial<LabelData> = {}): LabelData {
  const code = `3701021001${String(serial).padStart(8, '0')}7`;
  return { code, url: `${BASE_URL}/i/${code}-k3Xv9QaZ`, categoryName: '电子计价秤', businessName: '济南市历下区大明湖农贸市场', ...overrides };
}

function* labels(count: number): Generator<LabelData> {
  for (let i = 0; i < count; i++) yield label(i);
}

/** A Writable that keeps every chunk, and can be slow, like a client on a poor connection. */
class CollectingStream extends Writable {
  readonly chunks: Buffer[] = [];
  constructor(private readonly delayMs = 0, highWaterMark = 16 * 1024) {
    super({ highWaterMark });
  }
  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    this.chunks.push(chunk);
    if (this.delayMs > 0) setTimeout(done, this.delayMs);
    else done();
  }
  get bytesReceived(): number {
    return this.chunks.reduce((sum, chunk) => sum + chunk.length, 0);
  }
  text(): string {
    return Buffer.concat(this.chunks).toString('latin1');
  }
}

function decodeQr(png: Buffer): string | undefined {
  const image = PNG.sync.read(png);
  return jsQR(new Uint8ClampedArray(image.data.buffer, image.data.byteOffset, image.data.length), image.width, image.height)?.data;
}

function pixel(png: PNG, x: number, y: number): [number, number, number] {
  const i = (png.width * y + x) * 4;
  return [png.data[i], png.data[i + 1], png.data[i + 2]];
}

type MmBox = { x: number; y: number; width: number; height: number };

/** Pixel coordinates inside a box given in millimetres, `inset` pixels in from its edges. */
function* pixelsIn(box: MmBox, pxPerMm: number, inset = 0): Generator<[number, number]> {
  for (let y = Math.round(box.y * pxPerMm) + inset; y < Math.round((box.y + box.height) * pxPerMm) - inset; y++) {
    for (let x = Math.round(box.x * pxPerMm) + inset; x < Math.round((box.x + box.width) * pxPerMm) - inset; x++) yield [x, y];
  }
}

function differingPixels(a: PNG, b: PNG, box: MmBox, pxPerMm: number): number {
  let count = 0;
  for (const [x, y] of pixelsIn(box, pxPerMm)) if (pixel(a, x, y).some((v, i) => v !== pixel(b, x, y)[i])) count++;
  return count;
}

/** White pixels well inside the box: on the green badge, that is the lettering. */
function whitePixels(png: PNG, box: MmBox, pxPerMm: number): number {
  let count = 0;
  for (const [x, y] of pixelsIn(box, pxPerMm, 3)) if (pixel(png, x, y).every((v) => v > 240)) count++;
  return count;
}

describe('label SVG', () => {
  it('prints the code in its four groups, the category and the business name', async () => {
    const svg = await labelSvg(label(123, { categoryName: '燃油加油机', businessName: '历下加油站' }));
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg" width="50mm" height="30mm"')).toBe(true);
    expect(svg).toContain('>370102 1001 00000123 7</text>');
    expect(svg).toContain('>燃油加油机</text>');
    expect(svg).toContain('>历下加油站</text>');
  });

  it('carries the integrity mark and a CJK font stack', async () => {
    const svg = await labelSvg(label(1));
    expect(svg).toContain('>诚信计量</text>');
    expect(svg).toContain('>扫码验真</text>');
    expect(svg).toMatch(/font-family="[^"]*Noto Sans SC[^"]*PingFang SC[^"]*Microsoft YaHei[^"]*sans-serif"/);
  });

  it('escapes markup in names instead of letting it into the document', async () => {
    const svg = await labelSvg(label(2, { businessName: 'A&B <鲜果> 店', categoryName: '"秤" & \'尺\'' }));
    expect(svg).toContain('>A&amp;B &lt;鲜果&gt; 店</text>');
    expect(svg).toContain('>&quot;秤&quot; &amp; &apos;尺&apos;</text>');
    expect(svg).not.toContain('<鲜果>');
  });

  it('cuts a business name too long for two lines with an ellipsis', async () => {
    const name = '中国石化销售股份有限公司山东济南石油分公司历下区第二十八加油站';
    const svg = await labelSvg(label(3, { businessName: name }));
    const nameLines = [...svg.matchAll(/fill="#57606a">([^<]*)<\/text>/g)].map((m) => m[1]);
    expect(nameLines).toHaveLength(2);
    expect(nameLines[1].endsWith('…')).toBe(true);
    expect(name.startsWith(nameLines.join('').slice(0, -1))).toBe(true);
  });

  it('prints a code that is not a platform code exactly as given', async () => {
    const svg = await labelSvg(label(4, { code: 'SD-2024-00017' }));
    expect(svg).toContain('>SD-2024-00017</text>');
  });
});

describe('label PNG', () => {
  it('is a PNG of 50 × 30 mm at 12 px/mm by default', async () => {
    const png = await labelPng(label(5));
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    const image = PNG.sync.read(png);
    expect([image.width, image.height]).toEqual([600, 360]);
  });

  it('follows the requested scale and refuses absurd ones', async () => {
    const image = PNG.sync.read(await labelPng(label(6), { scale: 8 }));
    expect([image.width, image.height]).toEqual([400, 240]);
    await expect(labelPng(label(6), { scale: 500 })).rejects.toMatchObject({ code: 'LABEL_SCALE_OUT_OF_RANGE', status: 400 });
    await expect(labelPng(label(6), { scale: Number.NaN })).rejects.toMatchObject({ code: 'LABEL_SCALE_OUT_OF_RANGE' });
  });

  it('carries a QR that a phone reads as exactly the signed URL', async () => {
    const data = label(7);
    expect(decodeQr(await labelPng(data))).toBe(data.url);
    expect(decodeQr(await labelPng(data, { scale: 4 }))).toBe(data.url);
  });

  it('draws the Chinese names with the bundled font', async () => {
    const pxPerMm = 12;
    const a = PNG.sync.read(await labelPng(label(8, { businessName: '大明湖农贸市场' })));
    const b = PNG.sync.read(await labelPng(label(8, { businessName: '泉城路眼镜店' })));
    const businessNameBox = { x: 25, y: 17.5, width: 23.5, height: 6.5 };
    const integrityBadgeBox = { x: 25, y: 1.8, width: 23.5, height: 6.2 };
    expect(differingPixels(a, b, businessNameBox, pxPerMm)).toBeGreaterThan(500);
    expect(differingPixels(a, b, integrityBadgeBox, pxPerMm)).toBe(0);
    expect(whitePixels(a, integrityBadgeBox, pxPerMm)).toBeGreaterThan(1000);
  });
});

describe('label sheet PDF', () => {
  it('puts 50 labels on 3 A4 pages with the CJK font embedded, delivered in many chunks', async () => {
    const out = new CollectingStream();
    const result = await labelSheetPdf(labels(50), out, { title: '历下区 标签' });
    const pdf = out.text();
    expect(result).toEqual({ pages: 3, count: 50 });
    expect(pdf.startsWith('%PDF-')).toBe(true);
    expect(pdf.trimEnd().endsWith('%%EOF')).toBe(true);
    expect(pdf.match(/\/Type \/Page\b/g)).toHaveLength(3);
    expect(pdf).toMatch(/\/MediaBox \[0 0 595\.28 841\.89\]/);
    expect(pdf).toMatch(/\/BaseFont \/[A-Z]{6}\+NotoSansHans-Regular/);
    expect(pdf).toMatch(/\/BaseFont \/[A-Z]{6}\+NotoSansHans-Bold/);
    expect(pdf).toContain('/FontFile3');
    expect(out.chunks.length).toBeGreaterThan(1);
    expect(out.writableFinished).toBe(true);
  });

  it('writes the first pages while later labels are still being produced', async () => {
    const out = new CollectingStream();
    const bytesSeenAt: number[] = [];
    async function* slowLabels(): AsyncGenerator<LabelData> {
      for (let i = 0; i < 72; i++) {
        if (i % 24 === 0) await new Promise((resolve) => setTimeout(resolve, 5));
        bytesSeenAt.push(out.bytesReceived);
        yield label(i);
      }
    }
    const result = await labelSheetPdf(slowLabels(), out);
    expect(result).toEqual({ pages: 3, count: 72 });
    expect(bytesSeenAt[0]).toBeLessThan(2000);
    expect(bytesSeenAt[48]).toBeGreaterThan(bytesSeenAt[24]);
    expect(bytesSeenAt[48]).toBeGreaterThan(10_000);
    expect(out.bytesReceived).toBeGreaterThan(bytesSeenAt[71]);
  });

  it('waits for a slow reader instead of piling the whole PDF into memory', async () => {
    const out = new CollectingStream(1, 4 * 1024);
    let mostBuffered = 0;
    function* watchedLabels(): Generator<LabelData> {
      for (let i = 0; i < 120; i++) {
        mostBuffered = Math.max(mostBuffered, out.writableLength);
        yield label(i);
      }
    }
    const result = await labelSheetPdf(watchedLabels(), out);
    expect(result).toEqual({ pages: 5, count: 120 });
    expect(out.bytesReceived).toBeGreaterThan(60_000);
    // One compressed page of 24 labels is about 13 KB: what waits in the stream stays near that,
    // where a writer that ignored backpressure would leave several pages queued (about 50 KB here).
    expect(mostBuffered).toBeLessThan(30_000);
  });

  it('still makes one (empty) page for an empty batch', async () => {
    const out = new CollectingStream();
    expect(await labelSheetPdf([], out)).toEqual({ pages: 1, count: 0 });
    expect(out.text().match(/\/Type \/Page\b/g)).toHaveLength(1);
  });

  it('stops reading labels when the reader goes away', async () => {
    const out = new CollectingStream();
    let produced = 0;
    function* manyLabels(): Generator<LabelData> {
      while (produced < 2000) {
        produced++;
        if (produced === 30) out.destroy();
        yield label(produced);
      }
    }
    await expect(labelSheetPdf(manyLabels(), out)).rejects.toBeInstanceOf(LabelOutputClosedError);
    expect(produced).toBeLessThan(60);
  });

  it('fails the output when the label source fails, so a cut-off PDF is never taken as complete', async () => {
    const out = new CollectingStream();
    const closed = new Promise((resolve) => out.on('close', resolve));
    out.on('error', () => undefined);
    function* broken(): Generator<LabelData> {
      yield label(1);
      throw new Error('database cursor lost');
    }
    await expect(labelSheetPdf(broken(), out)).rejects.toThrow('database cursor lost');
    await closed;
    expect(out.destroyed).toBe(true);
    expect(out.writableFinished).toBe(false);
  });
});
