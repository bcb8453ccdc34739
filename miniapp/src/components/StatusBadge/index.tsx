import { Text, View } from '@tarojs/components';
import type { VerificationStatus } from '@shared/api';
import { STATUS_DISPLAY } from '../../pages/instrument/statusDisplay';
import { IntegrityMark } from '../IntegrityMark';
import './index.scss';

export interface StatusBadgeProps {
  status: VerificationStatus;
  /**
   * A label whose signature failed: the registered status is still named, but in grey and with
   * a hint that it may not be the instrument in front of the reader.
   */
  forged?: boolean;
  /** Show the integrity seal (only for a genuine label of a trustworthy instrument). */
  sealed?: boolean;
}

const FORGED_HINT = '这是平台登记的同一识别码器具的状态，不代表眼前的器具';
/** A forged label's badge never shows a tick, whatever the registered instrument's status. */
const FORGED_ICON = '?';

/**
 * The verdict of a scan, large: an icon and plain words (never colour alone), the hint under
 * them and, when earned, the seal. `data-verdict` carries the status for the scan-to-verdict
 * benchmark, which waits for it to appear.
 */
export function StatusBadge({ status, forged = false, sealed = false }: StatusBadgeProps) {
  const display = STATUS_DISPLAY[status];
  const tone = forged ? 'muted' : display.tone;
  return (
    <View className={`status-badge status-badge--${tone}`} data-verdict={status}>
      <View className='status-badge__icon' aria-hidden='true'>
        <Text className='status-badge__glyph'>{forged ? FORGED_ICON : display.icon}</Text>
      </View>
      <View className='status-badge__main'>
        <Text className='status-badge__text'>{display.text}</Text>
        <Text className='status-badge__hint'>{forged ? FORGED_HINT : display.hint}</Text>
      </View>
      {sealed && (
        <View className='status-badge__mark'>
          <IntegrityMark />
          <Text className='status-badge__mark-text'>标签已核验</Text>
        </View>
      )}
    </View>
  );
}
