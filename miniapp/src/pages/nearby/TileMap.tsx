import { Text, View } from '@tarojs/components';
import type { PublicBusinessItem } from '@shared/api';
import { tileUrl, tileView } from '@shared/geo';

/** The zoom the H5 map draws at: a 3×3 block of 256 px tiles is about 2.3 km across in 济南. */
export const MAP_ZOOM = 15;

const percent = (value: number, whole: number) => `${(value / whole) * 100}%`;

/**
 * The H5 map, drawn only when the deployment configured a tile URL (MAP_TILE_URL): 3×3 tiles
 * at zoom 15 around the search point, as plain images placed by Web Mercator tile math
 * (shared/geo.ts; the tiles and the stored locations are both GCJ-02). The block is scaled to
 * the page's width, so everything is placed in percentages. Each listed business inside the
 * block is a button named after it; pressing one shows its card in the list below.
 */
export function TileMap({
  template,
  centre,
  businesses,
  pickedId,
  onPick,
}: {
  template: string;
  centre: [number, number];
  businesses: PublicBusinessItem[];
  pickedId: string | null;
  onPick: (business: PublicBusinessItem) => void;
}) {
  const view = tileView(centre, MAP_ZOOM);
  // A marker is about 28 px of the 768 px block across on a phone: keep whole markers only.
  const margin = 30;
  const inside = (at: { left: number; top: number }) =>
    at.left >= margin && at.top >= margin && at.left <= view.width - margin && at.top <= view.height - margin;
  const markers = businesses
    .map((business, index) => ({ business, number: index + 1 }))
    .filter(({ business }) => business.location !== null)
    .map(({ business, number }) => ({ business, number, at: view.place(business.location as [number, number]) }))
    .filter(({ at }) => inside(at));
  const me = view.place(centre);
  return (
    <View className='tile-map'>
      <View className='tile-map__frame' role='region' aria-label='附近经营者地图'>
        {view.tiles.map((tile) => (
          <img
            key={`${tile.z}/${tile.x}/${tile.y}`}
            className='tile-map__tile'
            src={tileUrl(template, tile)}
            alt=''
            data-tile={`${tile.z}/${tile.x}/${tile.y}`}
            style={{ left: percent(tile.left, view.width), top: percent(tile.top, view.height) }}
          />
        ))}
        <View className='tile-map__me' style={{ left: percent(me.left, view.width), top: percent(me.top, view.height) }} aria-hidden='true' />
        {markers.map(({ business, number, at }) => (
          <button
            key={business.id}
            type='button'
            className={`tile-map__marker${pickedId === business.id ? ' tile-map__marker--picked' : ''}`}
            aria-label={`${business.name}，列表第 ${number} 家`}
            data-name={business.name}
            aria-pressed={pickedId === business.id}
            style={{ left: percent(at.left, view.width), top: percent(at.top, view.height) }}
            onClick={() => onPick(business)}
          >
            {number}
          </button>
        ))}
      </View>
      <Text className='tile-map__caption'>
        地图数据来自配置的瓦片服务。蓝色圆点是查找的位置，数字是下方列表中的第几家
      </Text>
    </View>
  );
}
