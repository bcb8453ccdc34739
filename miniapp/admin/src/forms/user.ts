import type { z } from 'zod';
import type { StaffUserView } from '@shared/api';
import { fieldErrors } from '@shared/messages';
import { MIN_PASSWORD_LENGTH } from '@shared/requests/users';
import { RequestError } from '../api/transport';
import { ROLE_NAMES } from '../auth/roles';
import { serverFieldErrors as validationFieldErrors } from './business';

export type ManagedRole = StaffUserView['role'];

/** How the account screen names each role: as everywhere in the workspace (auth/roles.ts). */
export const USER_ROLE_NAMES: Record<ManagedRole, string> = {
  regulator: ROLE_NAMES.regulator,
  verifier: ROLE_NAMES.verifier,
  admin: ROLE_NAMES.admin,
  owner: ROLE_NAMES.owner,
};

/** The roles an admin may create here (owners come from the mini-program's own registration). */
export const CREATABLE_ROLES = ['regulator', 'verifier', 'admin'] as const;
export type CreatableRole = (typeof CREATABLE_ROLES)[number];

export interface UserFormValues {
  role?: CreatableRole;
  username?: string;
  displayName?: string;
  password?: string;
  regionCode?: string;
  institution?: string;
}

export const USER_FIELDS: Array<keyof UserFormValues> = ['role', 'username', 'displayName', 'password', 'regionCode', 'institution'];

const trimmed = (v: string | undefined) => (typeof v === 'string' ? v.trim() : undefined);

/** Form values → the CreateUser body: only the fields of the chosen role, empty optional ones left out. */
export function createUserBody(values: UserFormValues): Record<string, unknown> {
  const body: Record<string, unknown> = { role: values.role, username: trimmed(values.username) ?? '', password: values.password ?? '' };
  const displayName = trimmed(values.displayName);
  if (displayName) body.displayName = displayName;
  if (values.role === 'regulator') body.regionCode = values.regionCode;
  if (values.role === 'verifier') body.institution = trimmed(values.institution) ?? '';
  return body;
}

/** What an edit changes: only the fields that differ from the account as it is. */
export function updateUserBody(user: StaffUserView, values: UserFormValues): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  const displayName = trimmed(values.displayName) ?? '';
  if (displayName !== (user.displayName ?? '')) body.displayName = displayName;
  if (user.role === 'regulator' && values.regionCode !== (user.regionCode ?? undefined)) body.regionCode = values.regionCode;
  if (user.role === 'verifier') {
    const institution = trimmed(values.institution) ?? '';
    if (institution !== (user.institution ?? '')) body.institution = institution;
  }
  return body;
}

/** The schema's verdict per field; a region left empty reads 请选择辖区 (it is picked, not typed). */
export function userFieldErrors(schema: z.ZodType, body: Record<string, unknown>): Record<string, string> {
  const errors = fieldErrors(schema, body);
  if (errors.regionCode && body.regionCode === undefined) errors.regionCode = '请选择辖区';
  return errors;
}

/** The API's refusals of an account form, next to the field they are about. */
export function userServerFieldErrors(err: RequestError): Record<string, string> {
  if (err.code === 'USERNAME_TAKEN') return { username: err.message };
  if (err.code === 'REGION_ONLY_FOR_REGULATORS') return { regionCode: err.message };
  if (err.code === 'INSTITUTION_ONLY_FOR_VERIFIERS') return { institution: err.message };
  if (err.code === 'VALIDATION_FAILED') return validationFieldErrors(err);
  return {};
}

/** Letters and digits that cannot be mistaken for one another when read out or copied by hand (no 0/O, 1/l/I). */
const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';
const GROUPS = ['ABCDEFGHJKLMNPQRSTUVWXYZ', 'abcdefghijkmnopqrstuvwxyz', '23456789'];

/**
 * A strong random password for an admin to hand over: 16 characters (≈ 93 bits) from the
 * browser's CSPRNG, with at least one capital, one small letter and one digit.
 */
export function generatePassword(length = Math.max(16, MIN_PASSWORD_LENGTH)): string {
  const pick = (chars: string) => {
    // Rejection sampling: no bias towards the first characters of the alphabet.
    const limit = 256 - (256 % chars.length);
    const byte = new Uint8Array(1);
    do crypto.getRandomValues(byte);
    while (byte[0] >= limit);
    return chars[byte[0] % chars.length];
  };
  for (;;) {
    const password = Array.from({ length }, () => pick(ALPHABET)).join('');
    if (GROUPS.every((g) => [...password].some((c) => g.includes(c)))) return password;
  }
}
