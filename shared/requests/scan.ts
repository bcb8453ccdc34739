import { z } from 'zod';
import { MAX_QUERY_LENGTH } from '@shared/scan';
import { textLine } from '@shared/text';

export const ScanQuery = z.object({
  /** The scanned QR URL, `<code>-<sig>`, a bare platform code or another system's code. */
  q: textLine({ min: 1, max: MAX_QUERY_LENGTH }),
});
