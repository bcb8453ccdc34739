import { Text, View } from '@tarojs/components';
import type { VerificationStatus } from '@shared/api';
import { STATUS_DISPLAY, type Tone } from '../../pages/instrument/statusDisplay';
import './index.scss';

/** A symbol per colour family, so a status reads without colour: ✓ good, ! warning, ✕ bad, – out of use or unknown. */
const TONE_ICON: Record<Tone, string> = { good: '✓', warn: '!', bad: '✕', muted: '–' };

/** An instrument's verification status as icon + words (the same words as the instrument page's badge). */
export function StatusTag({ status }: { status: VerificationStatus }) {
  const display = STATUS_DISPLAY[status];
  return (
    <View className={`status-tag status-tag--${display.tone}`}>
      <Text className='status-tag__icon' aria-hidden='true'>
        {TONE_ICON[display.tone]}
      </Text>
      <Text className='status-tag__text'>{display.text}</Text>
    </View>
  );
}
