import type { ReactNode } from 'react';
import { Text, View } from '@tarojs/components';
import { pressable } from '../Pressable';
import './index.scss';

interface LinkRowProps {
  title: string;
  /** A second line: where, when, what kind. */
  detail?: ReactNode;
  /** Words at the end of the row (a grade, a count), before the chevron. */
  aside?: ReactNode;
  onClick: () => void;
  className?: string;
}

/** One tappable row of a list that opens another page; the chevron says it leads somewhere. */
export function LinkRow({ title, detail, aside, onClick, className }: LinkRowProps) {
  return (
    <View className={`link-row${className ? ` ${className}` : ''}`} onClick={onClick} {...pressable(onClick, 'link')}>
      <View className='link-row__main'>
        <Text className='link-row__title'>{title}</Text>
        {detail && <View className='link-row__detail'>{detail}</View>}
      </View>
      {aside && <View className='link-row__aside'>{aside}</View>}
      <Text className='link-row__chevron' aria-hidden='true'>
        ›
      </Text>
    </View>
  );
}
