import { z } from 'zod';
import { textLine } from '@shared/text';

/** An admin issuing a key to a verification institution. */
export const CreateApiKey = z
  .object({
    /** What the key is for, e.g. "济南院 LIMS 对接". */
    name: textLine({ min: 2, max: 60 }),
    /** The verification institution whose results the key posts. */
    institution: textLine({ min: 2, max: 100 }),
  })
  .strict();
