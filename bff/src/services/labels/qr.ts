import QRCode from 'qrcode';

/**
 * Error correction M restores about 15% of damaged modules, enough for a scratched or
 * dusty label on a market scale, while keeping a typical label URL at QR version 4
 * (33 modules), so each module stays large enough for an old phone camera.
 */
const ERROR_CORRECTION = 'M';

/** Quiet zone inside the QR box; the label margin around the box adds more white. */
export const QR_QUIET_ZONE_MODULES = 2;

/** A horizontal run of dark modules, in module units from the top-left of the quiet zone. */
export interface QrRun {
  x: number;
  y: number;
  length: number;
}

/** The symbol as dark runs: far fewer shapes to draw than single modules (about a third). */
export interface QrSymbol {
  /** Modules per side, quiet zone included. */
  modules: number;
  runs: QrRun[];
}

export function qrSymbol(content: string): QrSymbol {
  const { modules } = QRCode.create(content, { errorCorrectionLevel: ERROR_CORRECTION });
  const runs: QrRun[] = [];
  for (let row = 0; row < modules.size; row++) {
    let start = -1;
    for (let col = 0; col <= modules.size; col++) {
      const dark = col < modules.size && modules.get(row, col) === 1;
      if (dark && start < 0) start = col;
      if (!dark && start >= 0) {
        runs.push({ x: start + QR_QUIET_ZONE_MODULES, y: row + QR_QUIET_ZONE_MODULES, length: col - start });
        start = -1;
      }
    }
  }
  return { modules: modules.size + 2 * QR_QUIET_ZONE_MODULES, runs };
}
