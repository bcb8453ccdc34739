import { once } from 'node:events';
import PDFDocument from 'pdfkit';
import { labelFontBytes } from './font';
import { COLORS, layoutLabel, type FontWeight, type LabelData, type LabelShape } from './layout';
import { sheetSlot, SHEET, LABELS_PER_SHEET } from './sheet';

const PT_PER_MM = 72 / 25.4;
const FONT_NAMES: Record<FontWeight, string> = { regular: 'label-regular', bold: 'label-bold' };
const DEFAULT_TITLE = '计量器具标签';

export interface LabelSheetOptions {
  /** Printed at the top of every page and stored as the PDF's title. */
  title?: string;
}

export interface LabelSheetResult {
  pages: number;
  count: number;
}

/**
 * Labels on A4 sheets (3 × 8 per page), written to `out` page by page while the labels are
 * still arriving, so a batch of thousands never sits in memory. It waits for `out` to drain
 * before starting each page and stops when `out` fails or closes. Resolves once `out` has
 * finished; `out` is ended, like a pipe does.
 */
export async function labelSheetPdf(
  labels: AsyncIterable<LabelData> | Iterable<LabelData>,
  out: NodeJS.WritableStream,
  opts: LabelSheetOptions = {},
): Promise<LabelSheetResult> {
  const title = opts.title ?? DEFAULT_TITLE;
  const doc = new PDFDocument({ size: 'A4', margin: 0, autoFirstPage: false, compress: true, info: { Title: title, Creator: '诚信计量公示' } });
  const output = forwardTo(doc, out);
  try {
    registerLabelFonts(doc);
    let count = 0;
    let pages = 0;
    for await (const label of labels) {
      if (count % LABELS_PER_SHEET === 0) {
        await output.roomForMore();
        startPage(doc, ++pages, title);
      }
      drawLabel(doc, layoutLabel(label), sheetSlot(count % LABELS_PER_SHEET));
      count++;
    }
    if (pages === 0) startPage(doc, ++pages, title);
    await output.finish();
    return { pages, count };
  } catch (error) {
    output.abort(error as Error);
    throw error;
  }
}

function registerLabelFonts(doc: PDFKit.PDFDocument): void {
  for (const weight of ['regular', 'bold'] as const) doc.registerFont(FONT_NAMES[weight], labelFontBytes(weight));
}

/** Page header in the top margin: which batch this is and the page number, for whoever sorts the printouts. */
function startPage(doc: PDFKit.PDFDocument, page: number, title: string): void {
  doc.addPage({ size: 'A4', margin: 0 });
  doc.save().scale(PT_PER_MM);
  const y = SHEET.marginTop - 4;
  drawText(doc, { kind: 'text', x: SHEET.marginLeft, y, size: 3, text: title, weight: 'regular', color: COLORS.muted, anchor: 'start' });
  drawText(doc, { kind: 'text', x: SHEET.width - SHEET.marginLeft, y, size: 3, text: `第 ${page} 页`, weight: 'regular', color: COLORS.muted, anchor: 'end' });
  doc.restore();
}

function drawLabel(doc: PDFKit.PDFDocument, shapes: LabelShape[], slot: { x: number; y: number }): void {
  doc.save().scale(PT_PER_MM).translate(slot.x, slot.y);
  for (const shape of shapes) drawShape(doc, shape);
  doc.restore();
}

function drawShape(doc: PDFKit.PDFDocument, shape: LabelShape): void {
  switch (shape.kind) {
    case 'rect':
      drawRect(doc, shape);
      return;
    case 'qr': {
      const module = shape.size / shape.symbol.modules;
      for (const run of shape.symbol.runs) doc.rect(shape.x + run.x * module, shape.y + run.y * module, run.length * module, module);
      doc.fill('#000000');
      return;
    }
    case 'text':
      drawText(doc, shape);
  }
}

function drawRect(doc: PDFKit.PDFDocument, shape: Extract<LabelShape, { kind: 'rect' }>): void {
  doc.roundedRect(shape.x, shape.y, shape.width, shape.height, shape.radius);
  if (shape.fill && shape.stroke) doc.lineWidth(shape.strokeWidth ?? 0.2).fillAndStroke(shape.fill, shape.stroke);
  else if (shape.fill) doc.fill(shape.fill);
  else if (shape.stroke) doc.lineWidth(shape.strokeWidth ?? 0.2).stroke(shape.stroke);
}

type TextShape = Omit<Extract<LabelShape, { kind: 'text' }>, 'anchor'> & { anchor: 'start' | 'middle' | 'end' };

function drawText(doc: PDFKit.PDFDocument, shape: TextShape): void {
  doc.font(FONT_NAMES[shape.weight]).fontSize(shape.size).fillColor(shape.color);
  const width = shape.anchor === 'start' ? 0 : doc.widthOfString(shape.text);
  const x = shape.anchor === 'middle' ? shape.x - width / 2 : shape.x - width;
  doc.text(shape.text, x, shape.y, { lineBreak: false, baseline: 'alphabetic' });
}

/** The client went away (or the file closed) before the whole PDF was written. */
export class LabelOutputClosedError extends Error {
  readonly code = 'LABEL_OUTPUT_CLOSED';
  constructor() {
    super('标签输出在写完之前被关闭');
  }
}

/**
 * Hands pdfkit's output to `out` chunk by chunk. pdfkit produces a page's bytes when the next
 * page starts (and the fonts at the end), so waiting for `drain` between pages bounds what
 * piles up in `out` to about one page.
 */
function forwardTo(doc: PDFKit.PDFDocument, out: NodeJS.WritableStream) {
  let needsDrain = false;
  let failure: Error | undefined;
  let outFinished = false;
  const finished = new Promise<void>((resolve) => {
    out.once('finish', () => {
      outFinished = true;
      resolve();
    });
  });
  const stopped = new Promise<never>((_, reject) => {
    const stop = (error: Error) => {
      failure ??= error;
      reject(failure);
    };
    out.once('close', () => outFinished || stop(new LabelOutputClosedError()));
    out.once('error', stop);
  });
  stopped.catch(() => undefined);
  doc.on('data', (chunk: Buffer) => {
    if (!failure && !out.write(chunk)) needsDrain = true;
  });
  const docEnded = once(doc, 'end');

  return {
    /**
     * Called before each page. Yields to the event loop even when `out` has room: with labels
     * from an in-memory list nothing else would let pdfkit's queued data reach `out` or let a
     * closed connection be noticed until the whole batch was drawn.
     */
    async roomForMore(): Promise<void> {
      await Promise.race([new Promise((resolve) => setImmediate(resolve)), stopped]);
      if (needsDrain) await Promise.race([once(out, 'drain'), stopped]);
      needsDrain = false;
    },
    async finish(): Promise<void> {
      doc.end();
      await Promise.race([docEnded, stopped]);
      out.end();
      await Promise.race([finished, stopped]);
    },
    abort(error: Error): void {
      failure ??= error;
      const destroy = (out as Partial<{ destroy(e?: Error): void }>).destroy;
      if (typeof destroy === 'function' && !(error instanceof LabelOutputClosedError)) destroy.call(out, error);
    },
  };
}
