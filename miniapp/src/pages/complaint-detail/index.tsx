import { View } from '@tarojs/components';
import { EmptyState } from '../../components/StateView';

// Placeholder while this page is being built in this session's branch (issue 9).
export default function Page() {
  return (
    <View>
      <EmptyState title='投诉详情' text='即将开放' />
    </View>
  );
}
