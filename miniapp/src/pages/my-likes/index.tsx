import { useState } from 'react';
import Taro from '@tarojs/taro';
import { Button, Text, View } from '@tarojs/components';
import type { ListResponse, MyLikeView } from '@shared/api';
import { LinkRow } from '../../components/LinkRow';
import { pressable } from '../../components/Pressable';
import { EmptyState, ErrorState, Loading, RequestView, goHome } from '../../components/StateView';
import { useRequest } from '../../hooks/useRequest';
import { fetchMyLikes } from '../../services/api/likes';
import { asApiError, type ApiError } from '../../services/api/transport';
import { instrumentPageUrl } from '../../services/labelUrl';
import './index.scss';

type MoreState = { kind: 'idle' } | { kind: 'loading' } | { kind: 'failed'; error: ApiError };

function LikeRow({ like }: { like: MyLikeView }) {
  return (
    <LinkRow
      className='my-likes__item'
      title={like.instrument.categoryName}
      detail={
        <>
          <Text className='my-likes__line'>{like.business.name}</Text>
          <Text className='my-likes__line'>识别码 {like.instrument.code}</Text>
          <Text className='my-likes__line'>{like.day} 点赞</Text>
        </>
      }
      onClick={() => Taro.navigateTo({ url: instrumentPageUrl(like.instrument.code) })}
    />
  );
}

/** The list's end: more to load (with its own loading and retry), or how many there are in all. */
function ListEnd({ list, more, onMore }: { list: ListResponse<MyLikeView>; more: MoreState; onMore: () => void }) {
  if (more.kind === 'loading') return <Loading compact text='正在加载更多…' />;
  if (more.kind === 'failed') return <ErrorState compact error={more.error} onRetry={onMore} />;
  if (list.items.length < list.total) {
    return (
      <Button className='my-likes__more' onClick={onMore} {...pressable(onMore)}>
        加载更多
      </Button>
    );
  }
  return <Text className='my-likes__end'>共 {list.total} 条点赞记录</Text>;
}

export default function MyLikesPage() {
  const { state, reload, update } = useRequest((cancellation) => fetchMyLikes(1, cancellation), []);
  const [more, setMore] = useState<MoreState>({ kind: 'idle' });

  async function loadMore() {
    if (state.kind !== 'loaded' || more.kind === 'loading') return;
    setMore({ kind: 'loading' });
    try {
      const next = await fetchMyLikes(state.data.page + 1);
      update((shown) => ({ ...next, items: [...shown.items, ...next.items] }));
      setMore({ kind: 'idle' });
    } catch (error) {
      setMore({ kind: 'failed', error: asApiError(error) });
    }
  }

  return (
    <View className='my-likes'>
      <RequestView state={state} onRetry={reload} loadingText='正在加载我的点赞…'>
        {(list) =>
          list.items.length === 0 ? (
            <EmptyState
              title='还没有点赞'
              text='扫描器具上的诚信标签，在器具页为诚信经营点赞，点过赞的器具会列在这里。'
              action={{ label: '去扫码', onClick: goHome }}
            />
          ) : (
            <>
              <View className='my-likes__list'>
                {list.items.map((like) => (
                  <LikeRow key={like.id} like={like} />
                ))}
              </View>
              <ListEnd list={list} more={more} onMore={loadMore} />
            </>
          )
        }
      </RequestView>
    </View>
  );
}
