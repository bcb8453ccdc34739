/**
 * How an integrity grade reads wherever it is shown: the letter never alone, and its colour
 * family only repeating what the words say. `none` is a business not graded yet (暂无评级).
 */
import type { Grade } from './api';
import type { Tone } from './verdict';

export const GRADE_DISPLAY: Record<Grade | 'none', { short: string; label: string; tone: Tone }> = {
  A: { short: 'A 级', label: 'A 级 · 诚信优秀', tone: 'good' },
  B: { short: 'B 级', label: 'B 级 · 诚信良好', tone: 'good' },
  C: { short: 'C 级', label: 'C 级 · 诚信一般', tone: 'warn' },
  D: { short: 'D 级', label: 'D 级 · 失信警示', tone: 'bad' },
  pending: { short: '评定中', label: '评定中', tone: 'muted' },
  none: { short: '暂无评级', label: '暂无评级', tone: 'muted' },
};

export function gradeDisplay(grade: Grade | null) {
  return GRADE_DISPLAY[grade ?? 'none'];
}
