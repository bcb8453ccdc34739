import { SVG_FONT_STACK } from './font';
import { LABEL_HEIGHT_MM, LABEL_WIDTH_MM, layoutLabel, type LabelData, type LabelShape } from './layout';
import type { QrSymbol } from './qr';

/** One label as a standalone SVG document, sized in millimetres so it prints at its real size. */
export async function labelSvg(label: LabelData): Promise<string> {
  return svgDocument(layoutLabel(label), label.code);
}

function svgDocument(shapes: LabelShape[], title: string): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${LABEL_WIDTH_MM}mm" height="${LABEL_HEIGHT_MM}mm" ` +
      `viewBox="0 0 ${LABEL_WIDTH_MM} ${LABEL_HEIGHT_MM}" font-family="${escapeXml(SVG_FONT_STACK)}">`,
    `<title>${escapeXml(title)}</title>`,
    ...shapes.map(svgShape),
    '</svg>',
  ].join('\n');
}

function svgShape(shape: LabelShape): string {
  switch (shape.kind) {
    case 'rect':
      return `<rect x="${n(shape.x)}" y="${n(shape.y)}" width="${n(shape.width)}" height="${n(shape.height)}" rx="${n(shape.radius)}" ` +
        `fill="${shape.fill ?? 'none'}"${shape.stroke ? ` stroke="${shape.stroke}" stroke-width="${n(shape.strokeWidth ?? 0.2)}"` : ''}/>`;
    case 'qr':
      return `<path transform="translate(${n(shape.x)} ${n(shape.y)}) scale(${n(shape.size / shape.symbol.modules, 5)})" ` +
        `shape-rendering="crispEdges" fill="#000000" d="${qrPathData(shape.symbol)}"/>`;
    case 'text':
      return `<text x="${n(shape.x)}" y="${n(shape.y)}" font-size="${n(shape.size)}" font-weight="${shape.weight === 'bold' ? 700 : 400}" ` +
        `text-anchor="${shape.anchor}" fill="${shape.color}">${escapeXml(shape.text)}</text>`;
  }
}

/** Dark runs in module units; the element's transform scales them to the QR box. */
function qrPathData(symbol: QrSymbol): string {
  return symbol.runs.map((run) => `M${run.x} ${run.y}h${run.length}v1h-${run.length}z`).join('');
}

const XML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => XML_ENTITIES[ch]);
}

/** Millimetres to three decimals: finer than any printer, and the SVG stays small. */
function n(value: number, digits = 3): string {
  return String(Number(value.toFixed(digits)));
}
