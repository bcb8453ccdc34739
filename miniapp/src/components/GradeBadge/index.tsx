import { Text } from '@tarojs/components';
import type { Grade } from '@shared/api';
import './index.scss';

/** How a grade reads: the letter never alone, always with its words (D is the letter's 失信警示). */
export const GRADE_WORDS: Record<Grade | 'none', { label: string; tone: 'good' | 'warn' | 'bad' | 'muted' }> = {
  A: { label: 'A 级 · 诚信优秀', tone: 'good' },
  B: { label: 'B 级 · 诚信良好', tone: 'good' },
  C: { label: 'C 级 · 诚信一般', tone: 'warn' },
  D: { label: 'D 级 · 失信警示', tone: 'bad' },
  pending: { label: '评定中', tone: 'muted' },
  none: { label: '暂无评级', tone: 'muted' },
};

export function gradeWords(grade: Grade | null): string {
  return GRADE_WORDS[grade ?? 'none'].label;
}

/** The integrity grade as a tag: words on a tinted ground (colour only repeats what the words say). */
export function GradeBadge({ grade }: { grade: Grade | null }) {
  const display = GRADE_WORDS[grade ?? 'none'];
  return <Text className={`grade-badge grade-badge--${display.tone}`}>{display.label}</Text>;
}
