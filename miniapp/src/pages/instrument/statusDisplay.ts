import type { Grade } from '@shared/api';
import { gradeDisplay } from '@shared/grades';
import { chinaCalendarDay } from '@shared/chinaDate';

// The badge's words, icons and tones are the shared verdict (also pre-rendered by the BFF).
export { STATUS_DISPLAY, type StatusDisplay, type Tone } from '@shared/verdict';

export function gradeText(grade: Grade | null): string {
  return gradeDisplay(grade).short;
}

/** A date from the API shown as its China calendar day (the API sends `YYYY-MM-DD`; an instant is converted, never sliced). */
export function dateText(value: string | null | undefined): string | null {
  return chinaCalendarDay(value);
}
