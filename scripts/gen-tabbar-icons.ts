/**
 * Generates the tab bar's icons, miniapp/src/assets/tabbar/<tab>.png and <tab>-active.png
 * (81 × 81 px, WeChat's recommended size; each far under its 40 KB limit), from the small SVG
 * drawings below, rasterised with resvg (already a dependency, for the labels).
 * Run: npx tsx scripts/gen-tabbar-icons.ts — then look at the PNGs and commit them.
 *
 * The selected tab differs in shape as well as colour (its drawing is filled), so the current
 * tab is never told by colour alone. Colours are the tab bar's text colours in app.config.ts.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Resvg } from '@resvg/resvg-js';

const SIZE = 81;
const OUT_DIR = path.resolve(__dirname, '..', 'miniapp', 'src', 'assets', 'tabbar');
const COLOR = '#4f5b55';
const SELECTED_COLOR = '#1a7f4b';

/**
 * Each drawing on a 24-unit grid: `shape` is outlined, and filled when selected; `hole` is
 * drawn in the tab's colour, or cut out in white when the shape is filled; `stroke` is always a line.
 */
interface Icon {
  shape: string;
  hole?: string;
  stroke?: string;
}

const ICONS: Record<string, Icon> = {
  home: { shape: '<path d="M3.5 10.2 12 3.2l8.5 7V20.5H3.5z"/>', hole: '<path d="M9.6 20.5v-5.2h4.8v5.2"/>' },
  search: { shape: '<circle cx="10.8" cy="10.8" r="6.6"/>', hole: '<circle cx="10.8" cy="10.8" r="3.9" stroke="none"/>', stroke: '<path d="M15.8 15.8 20.6 20.6"/>' },
  nearby: { shape: '<path d="M12 21s-6.8-6-6.8-11.3a6.8 6.8 0 0 1 13.6 0C18.8 15 12 21 12 21z"/>', hole: '<circle cx="12" cy="9.6" r="2.4"/>' },
  mine: { shape: '<circle cx="12" cy="8" r="4"/><path d="M4.2 20.6c0-4.3 3.5-6.9 7.8-6.9s7.8 2.6 7.8 6.9z"/>' },
};

function svg({ shape, hole = '', stroke = '' }: Icon, selected: boolean): string {
  const color = selected ? SELECTED_COLOR : COLOR;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${SIZE}" height="${SIZE}" viewBox="0 0 24 24" fill="none" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round">
  <g stroke="${color}" fill="${selected ? color : 'none'}">${shape}</g>
  <g stroke="${selected ? '#ffffff' : color}" fill="${selected ? '#ffffff' : 'none'}">${hole}</g>
  <g stroke="${color}">${stroke}</g>
</svg>`;
}

mkdirSync(OUT_DIR, { recursive: true });
for (const [name, icon] of Object.entries(ICONS)) {
  for (const selected of [false, true]) {
    const png = new Resvg(svg(icon, selected), { fitTo: { mode: 'width', value: SIZE } }).render().asPng();
    const file = path.join(OUT_DIR, `${name}${selected ? '-active' : ''}.png`);
    writeFileSync(file, png);
    console.log(`${path.relative(process.cwd(), file)} ${png.length} B`);
  }
}
