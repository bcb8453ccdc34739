import type { Grade, VerificationStatus } from '@shared/api';
import { chinaCalendarDay } from '@shared/chinaDate';

export type Tone = 'good' | 'warn' | 'bad' | 'muted';

export interface StatusDisplay {
  text: string;
  tone: Tone;
  hint: string;
  /** A glyph that carries the verdict without colour (read out as part of `text`, so hidden from screen readers). */
  icon: string;
}

/** How each verification status reads on the badge: words, an icon, and its colour family. */
export const STATUS_DISPLAY: Record<VerificationStatus, StatusDisplay> = {
  valid: { text: '检定合格', tone: 'good', hint: '在检定有效期内', icon: '✓' },
  expiring: { text: '即将到期', tone: 'warn', hint: '检定有效期将在 30 天内届满', icon: '!' },
  overdue: { text: '检定过期', tone: 'bad', hint: '已超过检定有效期，不应继续使用', icon: '✕' },
  failed: { text: '检定不合格', tone: 'bad', hint: '最近一次检定未通过', icon: '✕' },
  unverified: { text: '未检定', tone: 'muted', hint: '平台上没有该器具的检定记录', icon: '?' },
  suspended: { text: '已停用', tone: 'muted', hint: '该器具已停止使用', icon: '—' },
};

export function gradeText(grade: Grade | null): string {
  if (grade === null) return '暂无评级';
  if (grade === 'pending') return '评定中';
  return `${grade} 级`;
}

/** A date from the API shown as its China calendar day (the API sends `YYYY-MM-DD`; an instant is converted, never sliced). */
export function dateText(value: string | null | undefined): string | null {
  return chinaCalendarDay(value);
}
