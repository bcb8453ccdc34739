import { LABEL_HEIGHT_MM, LABEL_WIDTH_MM } from './layout';

/**
 * A4 portrait in millimetres: 3 columns × 8 rows of 50 × 30 mm labels. The gaps leave room to
 * cut between labels by hand; self-adhesive label stock with the same grid works as well.
 */
const COLUMNS = 3;
const ROWS = 8;
const GAP_X = 10;
const GAP_Y = 4;
const A4 = { width: 210, height: 297 };

export const LABELS_PER_SHEET = COLUMNS * ROWS;

export const SHEET = {
  ...A4,
  marginLeft: (A4.width - COLUMNS * LABEL_WIDTH_MM - (COLUMNS - 1) * GAP_X) / 2,
  marginTop: (A4.height - ROWS * LABEL_HEIGHT_MM - (ROWS - 1) * GAP_Y) / 2,
};

/** Top-left corner of the label at `index` on its page, filled row by row. */
export function sheetSlot(index: number): { x: number; y: number } {
  const column = index % COLUMNS;
  const row = Math.floor(index / COLUMNS);
  return { x: SHEET.marginLeft + column * (LABEL_WIDTH_MM + GAP_X), y: SHEET.marginTop + row * (LABEL_HEIGHT_MM + GAP_Y) };
}
