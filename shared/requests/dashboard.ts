import { z } from 'zod';

export const DashboardQuery = z.object({
  /**
   * A region prefix (2–6 digits, or a 6-digit code with trailing zeros: 37, 3701, 370100, 370102).
   * Admins: leave out for every region. Regulators: their own region unless a part of it is asked for.
   */
  region: z.string().regex(/^\d{2}$|^\d{4}$|^\d{6}$/, 'REGION_PREFIX_FORMAT').optional(),
});
