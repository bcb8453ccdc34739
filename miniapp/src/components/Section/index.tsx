import type { ReactNode } from 'react';
import { Text, View } from '@tarojs/components';
import { pressable } from '../Pressable';
import './index.scss';

interface SectionProps {
  title: string;
  /** A way to see more of the same (e.g. 全部文章), shown beside the title. */
  more?: { label: string; onClick: () => void };
  className?: string;
  children: ReactNode;
}

/** A titled card on a page; the title is a heading for screen readers. */
export function Section({ title, more, className, children }: SectionProps) {
  return (
    <View className={`section${className ? ` ${className}` : ''}`}>
      <View className='section__head'>
        <View className='section__title' role='heading' aria-level={2}>
          <Text>{title}</Text>
        </View>
        {more && (
          <View className='section__more' onClick={more.onClick} {...pressable(more.onClick, 'link')}>
            <Text>{more.label} ›</Text>
          </View>
        )}
      </View>
      {children}
    </View>
  );
}
