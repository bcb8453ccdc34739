/**
 * The labels screen counts the pages of the PDF sheet as its bytes arrive (its progress bar):
 * the count is the same however the stream is cut into chunks, and equals the pages pdfkit wrote.
 */
import fc from 'fast-check';
import { PassThrough } from 'node:stream';
import { labelSheetPdf, type LabelData } from '@bff/services/labels';
import { pdfPageCounter } from '../../miniapp/admin/src/pages/labels/pdfPages';

const label = (i: number): LabelData => ({ code: `37010201010000${String(i).padStart(5, '0')}`, url: `https://jl.example.cn/i/${i}`, categoryName: '电子计价秤', businessName: '历下区测试商行' });

async function sheet(count: number): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  await labelSheetPdf(Array.from({ length: count }, (_, i) => label(i)), out);
  return Buffer.concat(chunks);
}

function countInChunks(bytes: Uint8Array, cuts: number[]): number {
  const counter = pdfPageCounter();
  let from = 0;
  for (const cut of [...new Set(cuts)].sort((a, b) => a - b)) {
    counter.push(bytes.subarray(from, cut));
    from = cut;
  }
  counter.push(bytes.subarray(from));
  return counter.finish();
}

describe('pdfPageCounter', () => {
  let pdf: Buffer;
  beforeAll(async () => {
    pdf = await sheet(50); // 3 pages of 24
  });

  it('counts the pages of a real sheet, whole', () => {
    expect(countInChunks(pdf, [])).toBe(3);
  });

  it('counts the same however the bytes are cut, the marker split across chunks included', () => {
    const text = pdf.toString('latin1');
    const markers = [...text.matchAll(/\/Type \/Page/g)].map((m) => m.index!);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: pdf.length - 1 }), { maxLength: 40 }), fc.constantFrom(...markers), fc.integer({ min: 0, max: 12 }), (cuts, marker, offset) => {
        expect(countInChunks(pdf, [...cuts, marker + offset])).toBe(3);
      }),
      { numRuns: 200 },
    );
  });

  it('does not count the /Type /Pages root, even cut right after "Page"', () => {
    const bytes = Buffer.from('1 0 obj\n<<\n/Type /Pages\n/Count 2\n>>\n', 'latin1');
    const cut = bytes.indexOf('Pages') + 4;
    expect(countInChunks(bytes, [cut])).toBe(0);
    expect(countInChunks(Buffer.from('<<\n/Type /Page\n>>', 'latin1'), [13, 14])).toBe(1);
    expect(countInChunks(Buffer.from('<<\n/Type /Page', 'latin1'), [5])).toBe(1);
  });
});
