import { Text } from '@tarojs/components';
import type { Grade } from '@shared/api';
import { gradeDisplay } from '@shared/grades';
import './index.scss';

/** The integrity grade as a tag: words on a tinted ground (colour only repeats what the words say). */
export function GradeBadge({ grade }: { grade: Grade | null }) {
  const display = gradeDisplay(grade);
  return <Text className={`grade-badge grade-badge--${display.tone}`}>{display.label}</Text>;
}
