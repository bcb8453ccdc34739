import { displayableText } from '@shared/text';
import { qrSymbol, type QrSymbol } from './qr';

/** What one label says. `url` is the whole QR content: `${PUBLIC_BASE_URL}/i/${code}-${sig}` (DESIGN §4). */
export interface LabelData {
  code: string;
  url: string;
  categoryName: string;
  businessName: string;
}

/**
 * One label is laid out once, in millimetres from its top-left corner, as a list of shapes;
 * the SVG and the PDF writers only translate shapes, so every output prints the same label.
 */
export type LabelShape =
  | { kind: 'rect'; x: number; y: number; width: number; height: number; radius: number; fill?: string; stroke?: string; strokeWidth?: number }
  | { kind: 'qr'; x: number; y: number; size: number; symbol: QrSymbol }
  | { kind: 'text'; x: number; y: number; size: number; text: string; weight: FontWeight; color: string; anchor: 'start' | 'middle' };

export type FontWeight = 'regular' | 'bold';

export const LABEL_WIDTH_MM = 50;
export const LABEL_HEIGHT_MM = 30;

const MARGIN = 1.5;
const QR_SIZE = 22;
const COLUMN_X = MARGIN + QR_SIZE + 1.5;
const COLUMN_WIDTH = LABEL_WIDTH_MM - MARGIN - COLUMN_X;
const COLUMN_CENTRE = COLUMN_X + COLUMN_WIDTH / 2;

export const COLORS = {
  ink: '#1f2328',
  muted: '#57606a',
  cutLine: '#afb8c1',
  integrity: '#1a7f37',
  paper: '#ffffff',
} as const;

/** The integrity mark's words (DESIGN §1, duty 1): the badge, and the call to scan under it. */
const INTEGRITY_MARK = '诚信计量';
const SCAN_TO_VERIFY = '扫码验真';
const ELLIPSIS = '…';

export function layoutLabel(label: LabelData): LabelShape[] {
  return [
    { kind: 'rect', x: 0, y: 0, width: LABEL_WIDTH_MM, height: LABEL_HEIGHT_MM, radius: 1.5, fill: COLORS.paper, stroke: COLORS.cutLine, strokeWidth: 0.2 },
    { kind: 'qr', x: MARGIN, y: MARGIN, size: QR_SIZE, symbol: qrSymbol(label.url) },
    ...integrityMark(),
    ...categoryLine(label.categoryName),
    ...businessLines(label.businessName),
    codeLine(label.code),
  ];
}

/** Under the QR, across the label: a person can type the code when the QR will not scan. */
function codeLine(code: string): LabelShape {
  const { text, size } = fitLine(groupInstrumentCode(code), LABEL_WIDTH_MM - 2 * MARGIN, 3.2, 2);
  return { kind: 'text', x: LABEL_WIDTH_MM / 2, y: 27.6, size, text, weight: 'bold', color: COLORS.ink, anchor: 'middle' };
}

function integrityMark(): LabelShape[] {
  return [
    { kind: 'rect', x: COLUMN_X, y: MARGIN + 0.3, width: COLUMN_WIDTH, height: 6.2, radius: 1, fill: COLORS.integrity },
    { kind: 'text', x: COLUMN_CENTRE, y: 6.25, size: 4, text: INTEGRITY_MARK, weight: 'bold', color: COLORS.paper, anchor: 'middle' },
    { kind: 'text', x: COLUMN_CENTRE, y: 11.2, size: 2.9, text: SCAN_TO_VERIFY, weight: 'bold', color: COLORS.integrity, anchor: 'middle' },
    { kind: 'rect', x: COLUMN_X, y: 12.6, width: COLUMN_WIDTH, height: 0.15, radius: 0, fill: COLORS.cutLine },
  ];
}

function categoryLine(categoryName: string): LabelShape[] {
  const { text, size } = fitLine(displayableText(categoryName), COLUMN_WIDTH, 3.2, 2.4);
  return [{ kind: 'text', x: COLUMN_X, y: 16.6, size, text, weight: 'bold', color: COLORS.ink, anchor: 'start' }];
}

function businessLines(businessName: string): LabelShape[] {
  const size = 2.6;
  return wrapLines(displayableText(businessName), COLUMN_WIDTH / size, 2).map((text, i) => ({
    kind: 'text' as const, x: COLUMN_X, y: 20.2 + i * 3.1, size, text, weight: 'regular' as const, color: COLORS.muted, anchor: 'start' as const,
  }));
}

/** The 19-digit platform code in its four parts (region, category, serial, check), easier to read aloud. */
export function groupInstrumentCode(code: string): string {
  const parts = /^(\d{6})(\d{4})(\d{8})(\d)$/.exec(code);
  return parts ? parts.slice(1).join(' ') : code;
}

/**
 * Estimated advance in em, erring wide so fitted text never overflows whichever font the viewer
 * ends up using: CJK characters and punctuation are one em in Noto Sans CJK (0x1100 up, the
 * ellipsis included); Latin capitals run to about 0.75 em, M and W to 0.95, the rest below 0.6.
 */
function emWidth(text: string): number {
  let width = 0;
  for (const ch of text) width += charEm(ch);
  return width;
}

function charEm(ch: string): number {
  if ((ch.codePointAt(0) ?? 0) >= 0x1100) return 1;
  if ('MWmw@%'.includes(ch)) return 0.95;
  if (ch >= 'A' && ch <= 'Z') return 0.75;
  return 0.6;
}

/** Shrinks text down to `minSize` to keep it whole; below that, cuts it with an ellipsis. */
function fitLine(text: string, width: number, size: number, minSize: number): { text: string; size: number } {
  const needed = emWidth(text);
  if (needed * size <= width) return { text, size };
  if (needed * minSize <= width) return { text, size: width / needed };
  return { text: truncate(text, width / minSize), size: minSize };
}

/** Greedy wrap by character (Chinese has no spaces to break at); the last line ends in an ellipsis if text is left over. */
function wrapLines(text: string, maxEm: number, maxLines: number): string[] {
  const lines: string[] = [];
  let rest = [...text];
  while (rest.length > 0 && lines.length < maxLines) {
    if (lines.length === maxLines - 1) {
      lines.push(truncate(rest.join(''), maxEm));
      break;
    }
    let taken = 1;
    while (taken < rest.length && emWidth(rest.slice(0, taken + 1).join('')) <= maxEm) taken++;
    lines.push(rest.slice(0, taken).join('').trim());
    rest = [...rest.slice(taken).join('').trimStart()];
  }
  return lines.filter((line) => line.length > 0);
}

function truncate(text: string, maxEm: number): string {
  if (emWidth(text) <= maxEm) return text;
  const chars = [...text];
  while (chars.length > 0 && emWidth(chars.join('') + ELLIPSIS) > maxEm) chars.pop();
  return chars.join('').trimEnd() + ELLIPSIS;
}
