import { Button, Text, View } from '@tarojs/components';
import type { MoreState } from '../../hooks/usePagedList';
import './index.scss';

interface ListFooterProps {
  more: MoreState;
  /** What the list holds, for the end line: 共 12 家经营者. */
  total: number;
  unit: string;
  onMore: () => void;
}

/**
 * The bottom of an infinitely scrolling list: the next page loading (announced), the end, or a
 * failed page with 重试. While more can be loaded a 加载更多 button is there too: reaching the
 * bottom loads it on its own, but a short first page gives nothing to scroll, and not everyone scrolls.
 */
export function ListFooter({ more, total, unit, onMore }: ListFooterProps) {
  return (
    <View className='list-footer' aria-live='polite'>
      {more.kind === 'loading' && (
        <View role='status'>
          <Text className='list-footer__text'>正在加载更多…</Text>
        </View>
      )}
      {more.kind === 'end' && <Text className='list-footer__text'>已经到底了，共 {total} {unit}</Text>}
      {more.kind === 'failed' && (
        <View role='alert'>
          <Text className='list-footer__text'>下一页没有加载出来：{more.error.message}</Text>
          <Button className='list-footer__button' onClick={onMore}>
            重试
          </Button>
        </View>
      )}
      {more.kind === 'idle' && (
        <Button className='list-footer__button' onClick={onMore}>
          加载更多
        </Button>
      )}
    </View>
  );
}
