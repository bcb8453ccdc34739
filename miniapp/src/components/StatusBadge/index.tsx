import { Text, View } from '@tarojs/components';
import type { ScanVerdict } from '@shared/verdict';
import { IntegrityMark } from '../IntegrityMark';
import './index.scss';

export interface StatusBadgeProps {
  /** What the scan means (shared/verdict.ts): words, icon, tone, forged, seal. */
  verdict: ScanVerdict;
}

/**
 * The verdict of a scan, large: an icon and plain words (never colour alone), the hint under
 * them and, when earned, the seal. A forged label's badge names the registered status in grey,
 * with a hint that it may not be the instrument in front of the reader. `data-verdict` carries
 * the status for the scan-to-verdict benchmark, which waits for it to appear.
 */
export function StatusBadge({ verdict }: StatusBadgeProps) {
  return (
    <View className={`status-badge status-badge--${verdict.tone}`} data-verdict={verdict.status}>
      <View className='status-badge__icon' aria-hidden='true'>
        <Text className='status-badge__glyph'>{verdict.icon}</Text>
      </View>
      <View className='status-badge__main'>
        <Text className='status-badge__text'>{verdict.text}</Text>
        <Text className='status-badge__hint'>{verdict.hint}</Text>
      </View>
      {verdict.sealed && (
        <View className='status-badge__mark'>
          <IntegrityMark />
          <Text className='status-badge__mark-text'>标签已核验</Text>
        </View>
      )}
    </View>
  );
}
