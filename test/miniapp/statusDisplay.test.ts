/**
 * What the instrument page's badge says for each verification status, and the grade line.
 */
import type { VerificationStatus } from '@shared/api';
import { gradeText, STATUS_DISPLAY } from '../../miniapp/src/pages/instrument/statusDisplay';

const EXPECTED: Record<VerificationStatus, [string, string]> = {
  valid: ['检定合格', 'good'],
  expiring: ['即将到期', 'warn'],
  overdue: ['检定过期', 'bad'],
  failed: ['检定不合格', 'bad'],
  unverified: ['未检定', 'muted'],
  suspended: ['已停用', 'muted'],
};

test.each(Object.entries(EXPECTED))('status %s reads %s on a badge of its colour', (status, [text, tone]) => {
  const display = STATUS_DISPLAY[status as VerificationStatus];

  expect(display.text).toBe(text);
  expect(display.tone).toBe(tone);
  expect(display.hint.length).toBeGreaterThan(0);
});

test('only a valid instrument gets the green badge', () => {
  const green = Object.entries(STATUS_DISPLAY).filter(([, display]) => display.tone === 'good');

  expect(green.map(([status]) => status)).toEqual(['valid']);
});

test('a business without a grade reads 暂无评级; a pending one 评定中; a graded one its letter', () => {
  expect(gradeText(null)).toBe('暂无评级');
  expect(gradeText('pending')).toBe('评定中');
  expect(gradeText('B')).toBe('B 级');
});
