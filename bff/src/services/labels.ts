/**
 * QR labels for instruments (issue 4, DESIGN §4): one label as SVG or PNG, and batches as A4
 * PDF sheets streamed page by page. Each label carries the QR of the signed scan URL, the
 * instrument code in readable groups, the category, the business name and the integrity mark.
 * Pure functions of the label data: routes look the data up and sign the URL.
 */
export type { LabelData } from './labels/layout';
export { labelSvg } from './labels/svg';
export { labelPng, type LabelPngOptions } from './labels/png';
export { labelSheetPdf, LabelOutputClosedError, type LabelSheetOptions, type LabelSheetResult } from './labels/pdf';
export { LABELS_PER_SHEET } from './labels/sheet';
