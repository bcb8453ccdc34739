import type { StaffInstrument } from './api/types';

/** How the workspace names an instrument's state in words (status is never shown by colour alone). */
export const LIFECYCLE_NAMES: Record<StaffInstrument['status'], string> = { in_use: '在用', suspended: '停用', retired: '报废' };

export const VERIFICATION_NAMES: Record<StaffInstrument['verificationStatus'], string> = {
  valid: '有效',
  expiring: '即将到期',
  overdue: '逾期未检',
  failed: '检定不合格',
  unverified: '未检定',
  suspended: '停用',
};

/** The order the business drawer counts instruments in. */
export const VERIFICATION_ORDER: Array<StaffInstrument['verificationStatus']> = ['valid', 'expiring', 'overdue', 'failed', 'unverified', 'suspended'];

export const RESULT_NAMES: Record<'pass' | 'fail', string> = { pass: '合格', fail: '不合格' };

/** A business is in business or has closed. */
export const BUSINESS_STATUS_NAMES: Record<'active' | 'closed', string> = { active: '营业中', closed: '已停业' };
