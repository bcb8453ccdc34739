import { z } from 'zod';
import { Pagination, regionCodeSchema } from '@shared/schemas';
import { textLine } from '@shared/text';

/** The staff roles an admin manages here (public users and guests are not accounts to manage). */
export const STAFF_ROLES = ['regulator', 'verifier', 'admin', 'owner'] as const;

export const MIN_PASSWORD_LENGTH = 10;

/** 3–32 letters, digits, `_`, `.` or `-`, starting with a letter or digit: what people type at a login prompt. */
const Username = z.string().trim().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{2,31}$/, 'USERNAME_FORMAT');

/** At least 10 characters; stored only as a scrypt hash (bff/src/services/credentials.ts). */
const Password = z.string().min(MIN_PASSWORD_LENGTH, 'PASSWORD_TOO_SHORT').max(256);

const DisplayName = textLine({ min: 1, max: 50 });
const Institution = textLine({ min: 2, max: 100 });

const common = { username: Username, password: Password, displayName: DisplayName.optional() };

/** A new staff account: a regulator with the region they supervise, a verifier with their institution, or an admin. */
export const CreateUser = z.discriminatedUnion('role', [
  z.object({ role: z.literal('regulator'), ...common, regionCode: regionCodeSchema }).strict(),
  z.object({ role: z.literal('verifier'), ...common, institution: Institution }).strict(),
  z.object({ role: z.literal('admin'), ...common }).strict(),
]);

/** Changes to an account: disable or enable it, set a new password, rename; a regulator's region, a verifier's institution. */
export const UpdateUser = z
  .object({
    disabled: z.boolean(),
    password: Password,
    displayName: DisplayName,
    regionCode: regionCodeSchema,
    institution: Institution,
  })
  .partial()
  .strict()
  .refine((changes) => Object.keys(changes).length > 0, { message: 'NOTHING_TO_CHANGE' });

export const ListUsers = Pagination.extend({
  role: z.enum(STAFF_ROLES).optional(),
  /** Part of the username or display name. */
  q: textLine({ max: 50 }).optional(),
  disabled: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
});
