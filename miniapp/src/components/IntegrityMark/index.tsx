import { Text, View } from '@tarojs/components';
import './index.scss';

interface IntegrityMarkProps {
  size?: 'small' | 'large';
}

/** The green 诚信计量 seal printed on every label, drawn in CSS so no image is fetched. */
export function IntegrityMark({ size = 'small' }: IntegrityMarkProps) {
  return (
    <View className={`integrity-mark integrity-mark--${size}`} role='img' aria-label='诚信计量标志'>
      <View className='integrity-mark__ring' aria-hidden='true'>
        <Text className='integrity-mark__top'>诚信</Text>
        <Text className='integrity-mark__bottom'>计量</Text>
      </View>
    </View>
  );
}
