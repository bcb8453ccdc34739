import type { StaffInstrumentItem, VerificationStatus } from '@shared/api';
import { chinaDateString, dueDateFor } from '@shared/verification';
import { presentInstrument, type InstrumentFields } from './registry';

/** An instrument as regulators see it: the public view plus region and audit times. */
export function presentInstrumentForStaff(i: InstrumentFields & { regionCode: string; createdAt?: Date; updatedAt?: Date }) {
  return {
    ...presentInstrument(i),
    regionCode: i.regionCode,
    createdAt: i.createdAt?.toISOString(),
    updatedAt: i.updatedAt?.toISOString(),
  };
}

/** A row of the staff instrument list: the staff view with the status the database computed (services/instrumentStatus.ts). */
export function presentInstrumentListItem(
  i: InstrumentFields & {
    regionCode: string;
    createdAt?: Date;
    updatedAt?: Date;
    verificationStatus: VerificationStatus;
    latestVerification?: { date: Date; result: 'pass' | 'fail'; dueDate?: Date | null } | null;
  },
): StaffInstrumentItem {
  const v = i.latestVerification;
  const due = v ? (v.dueDate ?? dueDateFor(i.category, v.date)) : null;
  return {
    ...presentInstrumentForStaff(i),
    verificationStatus: i.verificationStatus,
    latestVerification: v ? { date: chinaDateString(v.date), result: v.result, dueDate: due ? chinaDateString(due) : null } : null,
  };
}
