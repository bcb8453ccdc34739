import Taro from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import type { PublicBusinessItem } from '@shared/api';
import { distanceText } from '@shared/geo';
import { GradeBadge } from '../GradeBadge';
import './index.scss';
import { pressable } from '../Pressable';

export function businessPageUrl(id: string): string {
  return `/pages/business/index?id=${encodeURIComponent(id)}`;
}

export function openBusiness(id: string): void {
  Taro.navigateTo({ url: businessPageUrl(id) });
}

/** A business in a list (search results, nearby): who, what trade, where, grade, how many instruments; taps open its page. */
export function BusinessCard({ business }: { business: PublicBusinessItem }) {
  return (
    <View className='business-card' {...pressable(() => openBusiness(business.id), 'link')} onClick={() => openBusiness(business.id)}>
      <View className='business-card__head'>
        <Text className='business-card__name'>{business.name}</Text>
        <GradeBadge grade={business.grade} />
      </View>
      <Text className='business-card__meta'>
        {business.industryName} · {business.regionName}
      </Text>
      {business.address && <Text className='business-card__address'>{business.address}</Text>}
      <View className='business-card__foot'>
        <Text className='business-card__count'>在用计量器具 {business.instrumentCount} 台</Text>
        {business.distance !== undefined && <Text className='business-card__distance'>距离 {distanceText(business.distance)}</Text>}
      </View>
    </View>
  );
}
