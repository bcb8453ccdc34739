import { useEffect, useState } from 'react';
import Taro, { useReachBottom } from '@tarojs/taro';
import { Button, Text, View } from '@tarojs/components';
import type { ComplaintView, ListResponse } from '@shared/api';
import { EmptyState, RequestView, goHome } from '../../components/StateView';
import { useRequest } from '../../hooks/useRequest';
import { fetchMyComplaints } from '../../services/api/complaints';
import { asApiError } from '../../services/api/transport';
import { chinaDay, complaintTone } from './format';
import { pressable } from '../../components/Pressable';
import './index.scss';

function openDetail(trackingNo: string): void {
  Taro.navigateTo({ url: `/pages/complaint-detail/index?trackingNo=${encodeURIComponent(trackingNo)}` });
}

function ComplaintItem({ complaint }: { complaint: ComplaintView }) {
  const open = () => openDetail(complaint.trackingNo);
  return (
    <View className='complaint-item' data-tracking-no={complaint.trackingNo} onClick={open} {...pressable(open, 'link')}>
      <View className='complaint-item__head'>
        <Text className='complaint-item__category'>{complaint.categoryName}</Text>
        <Text className={`complaint-status complaint-status--${complaintTone(complaint.status)}`}>{complaint.statusName}</Text>
      </View>
      <Text className='complaint-item__business'>{complaint.business.name}</Text>
      <View className='complaint-item__meta'>
        <Text className='complaint-item__tracking'>{complaint.trackingNo}</Text>
        <Text className='complaint-item__date'>{chinaDay(complaint.createdAt)}</Text>
      </View>
    </View>
  );
}

/** Page 1 from useRequest; later pages appended as the reader reaches the bottom (or taps 加载更多). */
function ComplaintList({ first }: { first: ListResponse<ComplaintView> }) {
  const [pages, setPages] = useState<ListResponse<ComplaintView>[]>([first]);
  const [loadingMore, setLoadingMore] = useState(false);
  const [moreError, setMoreError] = useState<string | null>(null);
  useEffect(() => setPages([first]), [first]);

  const items = pages.flatMap((p) => p.items);
  const last = pages[pages.length - 1];
  const hasMore = items.length < last.total && last.items.length > 0;

  const loadMore = async () => {
    if (loadingMore || !hasMore) return;
    setLoadingMore(true);
    setMoreError(null);
    try {
      const next = await fetchMyComplaints(last.page + 1);
      setPages((current) => [...current, next]);
    } catch (cause) {
      setMoreError(asApiError(cause).message);
    } finally {
      setLoadingMore(false);
    }
  };
  useReachBottom(() => {
    loadMore();
  });

  if (items.length === 0) {
    return <EmptyState title='还没有投诉' text='在器具页面点“我要投诉”，提交后可以在这里查看处理进度。' action={{ label: '去扫码', onClick: goHome }} />;
  }
  return (
    <View className='complaint-list'>
      <Text className='complaint-list__total'>共 {last.total} 条投诉</Text>
      {items.map((complaint) => (
        <ComplaintItem key={complaint.id} complaint={complaint} />
      ))}
      <View className='complaint-list__footer' aria-live='polite'>
        {loadingMore && <Text className='complaint-list__note'>加载中…</Text>}
        {moreError && <Text className='complaint-list__error'>{moreError}</Text>}
        {hasMore && !loadingMore && (
          <Button className='complaint-list__more' onClick={loadMore} {...pressable(loadMore)}>
            {moreError ? '重试' : '加载更多'}
          </Button>
        )}
        {!hasMore && <Text className='complaint-list__note'>没有更多了</Text>}
      </View>
    </View>
  );
}

export default function MyComplaintsPage() {
  const { state, reload } = useRequest((cancellation) => fetchMyComplaints(1, cancellation), []);
  return (
    <View className='my-complaints'>
      <RequestView state={state} onRetry={reload} loadingText='正在加载我的投诉…'>
        {(first) => <ComplaintList first={first} />}
      </RequestView>
    </View>
  );
}
