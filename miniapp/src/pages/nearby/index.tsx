import { useState } from 'react';
import Taro from '@tarojs/taro';
import { Button, Map as WeappMap, Text, View } from '@tarojs/components';
import type { PublicBusinessItem } from '@shared/api';
import { HOME_CITY } from '@shared/geo';
import markerIcon from '../../assets/marker-trusted.png';
import { BusinessCard } from '../../components/BusinessCard';
import { EmptyState, RequestView } from '../../components/StateView';
import { useRequest } from '../../hooks/useRequest';
import { searchBusinesses } from '../../services/api/businesses';
import { fetchClientConfig } from '../../services/api/clientConfig';
import type { Cancellation } from '../../services/api/transport';
import { locateVisitor, type SearchPoint } from './location';
import { TileMap } from './TileMap';
import './index.scss';

/** How far the map looks for A/B businesses, and how far the fallback list of ungraded ones reaches (metres). */
export const TRUSTED_RADIUS = 5_000;
export const FALLBACK_RADIUS = 20_000;
const LIST_SIZE = 20;

interface Nearby {
  where: SearchPoint;
  /** Graded A or B within TRUSTED_RADIUS, nearest first. */
  trusted: PublicBusinessItem[];
  /** When there is no A/B business near: the nearest not yet graded (暂无评级), nearest first. */
  ungraded: PublicBusinessItem[];
  /** H5 only: the deployment's tile URL template (MAP_TILE_URL), or null for the list alone. */
  mapTileUrl: string | null;
}

/** The map is an extra: if the setting cannot be read, the list is shown alone. */
async function mapTileUrl(cancellation: Cancellation): Promise<string | null> {
  if (process.env.TARO_ENV !== 'h5') return null;
  return fetchClientConfig(cancellation).then((config) => config.mapTileUrl, () => null);
}

async function findNearby(cancellation: Cancellation): Promise<Nearby> {
  const [where, tiles] = await Promise.all([locateVisitor(), mapTileUrl(cancellation)]);
  // `near` is GCJ-02 (see location.ts): the datum of the stored business locations.
  const trusted = await searchBusinesses({ near: where.point, radius: TRUSTED_RADIUS, grade: ['A', 'B'], pageSize: LIST_SIZE }, cancellation);
  if (trusted.items.length > 0) return { where, trusted: trusted.items, ungraded: [], mapTileUrl: tiles };
  const ungraded = await searchBusinesses({ near: where.point, radius: FALLBACK_RADIUS, grade: ['pending'], pageSize: LIST_SIZE }, cancellation);
  return { where, trusted: [], ungraded: ungraded.items, mapTileUrl: tiles };
}

function PointNotice({ where }: { where: SearchPoint }) {
  if (where.source === 'device') {
    return <Text className='nearby__point'>按您当前的位置查找，距离为直线距离</Text>;
  }
  return (
    <View className='nearby__notice' role='status'>
      <Text className='nearby__notice-title'>{where.reason === 'denied' ? '未获得定位授权' : '暂时无法获取您的位置'}</Text>
      <Text className='nearby__notice-text'>
        以下按{HOME_CITY.name}中心查找，距离是到{HOME_CITY.name}中心的距离。
        {where.reason === 'denied' ? '在设置中允许使用位置信息后，点“重新定位”。' : '可以稍后点“重新定位”再试。'}
      </Text>
    </View>
  );
}

/** WeChat's map with a pin for each A/B business; a tapped pin shows that business's card. H5 draws its own tile map when one is configured (TileMap.tsx). */
function TrustedMap({ nearby, onPick }: { nearby: Nearby; onPick: (business: PublicBusinessItem) => void }) {
  const located = nearby.trusted.filter((business) => business.location !== null);
  return (
    <WeappMap
      className='nearby__map'
      longitude={nearby.where.point[0]}
      latitude={nearby.where.point[1]}
      scale={14}
      showLocation={nearby.where.source === 'device'}
      markers={located.map((business, index) => ({
        id: index,
        longitude: (business.location as [number, number])[0],
        latitude: (business.location as [number, number])[1],
        title: business.name,
        iconPath: markerIcon,
        width: 32,
        height: 40,
      }))}
      onMarkerTap={(event) => {
        const business = located[Number(event.detail.markerId)];
        if (business) onPick(business);
      }}
      onError={() => undefined}
    />
  );
}

/** A listed card; the one picked on the H5 map is outlined and scrolled into view. */
function ListedCard({ business, highlighted }: { business: PublicBusinessItem; highlighted: boolean }) {
  return (
    <View id={`nearby-card-${business.id}`} className={`nearby__card${highlighted ? ' nearby__card--picked' : ''}`}>
      {highlighted && <Text className='nearby__card-flag'>地图上选中</Text>}
      <BusinessCard business={business} />
    </View>
  );
}

function NearbyList({ nearby }: { nearby: Nearby }) {
  const [picked, setPicked] = useState<PublicBusinessItem | null>(null);
  const [highlightedId, setHighlightedId] = useState<string | null>(null);
  const hasTrusted = nearby.trusted.length > 0;
  const listed = hasTrusted ? nearby.trusted : nearby.ungraded;
  const pickOnTileMap = (business: PublicBusinessItem) => {
    setHighlightedId(business.id);
    Taro.nextTick(() => document.getElementById(`nearby-card-${business.id}`)?.scrollIntoView({ block: 'center' }));
  };
  return (
    <View>
      {process.env.TARO_ENV === 'weapp' && hasTrusted && <TrustedMap nearby={nearby} onPick={setPicked} />}
      {process.env.TARO_ENV === 'h5' && nearby.mapTileUrl && listed.length > 0 && (
        <TileMap template={nearby.mapTileUrl} centre={nearby.where.point} businesses={listed} pickedId={highlightedId} onPick={pickOnTileMap} />
      )}
      <View className='nearby__content'>
        <PointNotice where={nearby.where} />
        {picked && (
          <View className='nearby__picked'>
            <Text className='nearby__heading'>地图上选中的经营者</Text>
            <BusinessCard business={picked} />
          </View>
        )}
        {hasTrusted ? (
          <View>
            <Text className='nearby__heading'>附近的 A/B 级诚信经营者（{TRUSTED_RADIUS / 1000} 公里内，由近到远）</Text>
            {nearby.trusted.map((business) => (
              <ListedCard key={business.id} business={business} highlighted={highlightedId === business.id} />
            ))}
          </View>
        ) : (
          <View>
            <View className='nearby__none'>
              <Text className='nearby__none-title'>附近暂无 A/B 级经营者</Text>
              <Text className='nearby__none-text'>诚信等级评定后，这里会显示附近的 A/B 级经营者。</Text>
            </View>
            {nearby.ungraded.length > 0 ? (
              <View>
                <Text className='nearby__heading'>离您最近的经营者（暂无评级，仅供参考，由近到远）</Text>
                {nearby.ungraded.map((business) => (
                  <ListedCard key={business.id} business={business} highlighted={highlightedId === business.id} />
                ))}
              </View>
            ) : (
              <EmptyState title={`${FALLBACK_RADIUS / 1000} 公里内没有登记的经营者`} text='可以到“搜索”按名称或地区查找。' />
            )}
          </View>
        )}
      </View>
    </View>
  );
}

/** The 附近 tab: trusted (A/B) businesses around the visitor, or around the city centre when the position is unknown. */
export default function NearbyPage() {
  const { state, reload } = useRequest(findNearby, []);
  return (
    <View className='nearby'>
      <RequestView state={state} onRetry={reload} loadingText='正在定位并查找附近的经营者…'>
        {(nearby) => (
          <View>
            <NearbyList nearby={nearby} />
            <View className='nearby__actions'>
              <Button className='nearby__relocate' onClick={reload}>
                重新定位
              </Button>
            </View>
          </View>
        )}
      </RequestView>
    </View>
  );
}
