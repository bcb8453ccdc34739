import { renderAsync } from '@resvg/resvg-js';
import { badRequest } from '../../errors';
import { LABEL_FONT_FAMILY, LABEL_FONT_FILES } from './font';
import { LABEL_WIDTH_MM, type LabelData } from './layout';
import { labelSvg } from './svg';

/** 12 px per millimetre is about 300 dpi: a label printer's resolution, and sharp when zoomed on screen. */
export const DEFAULT_PX_PER_MM = 12;
const MIN_PX_PER_MM = 2;
const MAX_PX_PER_MM = 40;

export interface LabelPngOptions {
  /** Pixels per millimetre of label (default 12, about 300 dpi); the PNG is 50·scale × 30·scale pixels. */
  scale?: number;
}

/**
 * The label's SVG rasterised by resvg (native, shipped as an npm platform package) with the
 * bundled CJK font, so the PNG shows the Chinese text on a server with no fonts installed.
 * Rendering runs off the event loop.
 */
export async function labelPng(label: LabelData, opts: LabelPngOptions = {}): Promise<Buffer> {
  const scale = opts.scale ?? DEFAULT_PX_PER_MM;
  if (!Number.isFinite(scale) || scale < MIN_PX_PER_MM || scale > MAX_PX_PER_MM) {
    throw badRequest('LABEL_SCALE_OUT_OF_RANGE', `标签图片比例须在 ${MIN_PX_PER_MM} 到 ${MAX_PX_PER_MM} 像素/毫米之间`, { scale });
  }
  const image = await renderAsync(await labelSvg(label), {
    fitTo: { mode: 'width', value: Math.round(LABEL_WIDTH_MM * scale) },
    background: '#ffffff',
    font: {
      loadSystemFonts: false,
      fontFiles: [LABEL_FONT_FILES.regular, LABEL_FONT_FILES.bold],
      defaultFontFamily: LABEL_FONT_FAMILY,
      sansSerifFamily: LABEL_FONT_FAMILY,
    },
  });
  return image.asPng();
}
