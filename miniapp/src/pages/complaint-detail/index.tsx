import { useEffect, useState } from 'react';
import Taro, { useRouter } from '@tarojs/taro';
import { Image, Text, View } from '@tarojs/components';
import type { ComplaintView } from '@shared/api';
import { InfoRow } from '../../components/InfoRow';
import { RequestView } from '../../components/StateView';
import { useRequest } from '../../hooks/useRequest';
import { fetchComplaint, fetchComplaintPhoto } from '../../services/api/complaints';
import { ApiError } from '../../services/api/transport';
import { chinaDateTime, complaintTone } from '../my-complaints/format';
import './index.scss';

const MISSING_TRACKING_NO = new ApiError('MISSING_TRACKING_NO', '缺少查询编号', 400);
const isH5 = process.env.TARO_ENV === 'h5';

type PhotoState = { kind: 'loading' } | { kind: 'shown'; src: string } | { kind: 'failed' };

/**
 * A private photo: fetched with the session token and shown from the local copy (an <img> in a
 * browser cannot send the Authorization header).
 */
function ComplaintPhoto({ path, index }: { path: string; index: number }) {
  const [photo, setPhoto] = useState<PhotoState>({ kind: 'loading' });
  useEffect(() => {
    let gone = false;
    let shown: string | null = null;
    fetchComplaintPhoto(path).then(
      (src) => {
        shown = src;
        if (!gone) setPhoto({ kind: 'shown', src });
      },
      () => !gone && setPhoto({ kind: 'failed' }),
    );
    return () => {
      gone = true;
      if (isH5 && shown?.startsWith('blob:')) URL.revokeObjectURL(shown);
    };
  }, [path]);

  if (photo.kind !== 'shown') {
    return <Text className='detail-photos__placeholder'>{photo.kind === 'loading' ? '加载中…' : '照片未能加载'}</Text>;
  }
  const preview = () => Taro.previewImage({ urls: [photo.src], current: photo.src }).catch(() => undefined);
  return (
    <Image
      className='detail-photos__image'
      src={photo.src}
      mode='aspectFill'
      onClick={preview}
      nativeProps={isH5 ? { alt: `投诉照片 ${index + 1}` } : undefined}
    />
  );
}

function Timeline({ complaint }: { complaint: ComplaintView }) {
  const entries = [...complaint.history].reverse();
  return (
    <View className='timeline' role='list'>
      {entries.map((entry, i) => (
        <View className={`timeline__entry${i === 0 ? ' timeline__entry--current' : ''}`} role='listitem' key={`${entry.status}-${entry.at}`}>
          <View className='timeline__dot' aria-hidden='true' />
          <View className='timeline__body'>
            <Text className='timeline__status'>
              {entry.statusName}
              {i === 0 ? '（当前）' : ''}
            </Text>
            <Text className='timeline__time'>{chinaDateTime(entry.at)}</Text>
            {entry.note && <Text className='timeline__note'>{entry.note}</Text>}
          </View>
        </View>
      ))}
    </View>
  );
}

function ComplaintDetail({ complaint }: { complaint: ComplaintView }) {
  return (
    <View>
      <View className='detail-head'>
        <Text className='detail-head__label'>查询编号</Text>
        <Text className='detail-head__tracking' selectable userSelect>
          {complaint.trackingNo}
        </Text>
        <View className='detail-head__status-row'>
          <Text className={`complaint-status complaint-status--${complaintTone(complaint.status)} detail-head__status`}>{complaint.statusName}</Text>
        </View>
      </View>

      <View className='card'>
        <Text className='card__title'>投诉内容</Text>
        <InfoRow label='投诉类型' value={complaint.categoryName} />
        <InfoRow label='经营者' value={complaint.business.name} />
        {complaint.instrument && <InfoRow label='器具' value={complaint.instrument.categoryName} />}
        {complaint.instrument && <InfoRow label='识别码' value={complaint.instrument.code} />}
        <InfoRow label='提交时间' value={chinaDateTime(complaint.createdAt)} />
        <Text className='detail-content'>{complaint.content}</Text>
        {complaint.photos.length > 0 && (
          <View className='detail-photos'>
            {complaint.photos.map((path, index) => (
              <View className='detail-photos__item' key={path}>
                <ComplaintPhoto path={path} index={index} />
              </View>
            ))}
          </View>
        )}
      </View>

      <View className='card'>
        <Text className='card__title'>处理进度</Text>
        <Timeline complaint={complaint} />
      </View>
    </View>
  );
}

export default function ComplaintDetailPage() {
  const { params } = useRouter();
  const trackingNo = params.trackingNo ? decodeURIComponent(params.trackingNo) : '';
  const { state, reload } = useRequest((cancellation) => (trackingNo ? fetchComplaint(trackingNo, cancellation) : null), [trackingNo], MISSING_TRACKING_NO);
  return (
    <View className='complaint-detail'>
      <RequestView state={state} onRetry={reload} notFound={{ title: '未找到这条投诉', text: '请核对查询编号；只能查看自己提交的投诉。' }}>
        {(complaint) => <ComplaintDetail complaint={complaint} />}
      </RequestView>
    </View>
  );
}
