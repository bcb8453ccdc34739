import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { FontWeight } from './layout';

/**
 * Labels print Chinese names, and neither the standard PDF fonts nor a bare server have CJK
 * glyphs, so the font comes with `npm install`: Noto Sans CJK SC ("Noto Sans S Chinese",
 * 30,888 glyphs: GB 2312 and more, e.g. 堃 喆) from the npm package @embedpdf/fonts-sc,
 * SIL Open Font License 1.1. The PDF embeds only the glyphs a sheet uses.
 */
const FONT_DIR = path.join(path.dirname(require.resolve('@embedpdf/fonts-sc')), '..', 'fonts');

export const LABEL_FONT_FILES: Record<FontWeight, string> = {
  regular: path.join(FONT_DIR, 'NotoSansHans-Regular.otf'),
  bold: path.join(FONT_DIR, 'NotoSansHans-Bold.otf'),
};

/** The family name inside those files, which the PNG renderer matches on. */
export const LABEL_FONT_FAMILY = 'Noto Sans S Chinese';

/** What an SVG viewer should try first: the same design under its usual names, then the phone's own CJK fonts. */
export const SVG_FONT_STACK = `'Noto Sans SC', '${LABEL_FONT_FAMILY}', 'Source Han Sans SC', 'PingFang SC', 'Microsoft YaHei', sans-serif`;

const loaded = new Map<FontWeight, Buffer>();

/** Read once per process: every PDF sheet registers the same bytes (about 8 MB per weight). */
export function labelFontBytes(weight: FontWeight): Buffer {
  let bytes = loaded.get(weight);
  if (!bytes) {
    bytes = readFileSync(LABEL_FONT_FILES[weight]);
    loaded.set(weight, bytes);
  }
  return bytes;
}
