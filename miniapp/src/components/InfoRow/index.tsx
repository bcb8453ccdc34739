import { Text, View } from '@tarojs/components';
import './index.scss';

interface InfoRowProps {
  label: string;
  value: string | number | null | undefined;
}

const NOT_RECORDED = '未登记';

/** One labelled fact in a details card; a missing value says so rather than leaving a gap. */
export function InfoRow({ label, value }: InfoRowProps) {
  const shown = value === null || value === undefined || value === '' ? NOT_RECORDED : String(value);
  return (
    <View className='info-row'>
      <Text className='info-row__label'>{label}</Text>
      <Text className={`info-row__value${shown === NOT_RECORDED ? ' info-row__value--missing' : ''}`}>{shown}</Text>
    </View>
  );
}
