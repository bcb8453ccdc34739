import type { ReactNode } from 'react';
import Taro, { useRouter } from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import type { PublicBusinessDetail, PublicInstrumentItem, VerificationStatus } from '@shared/api';
import { GradeBadge } from '../../components/GradeBadge';
import { RequestView } from '../../components/StateView';
import { StatusTag } from '../../components/StatusTag';
import { useRequest } from '../../hooks/useRequest';
import { fetchBusiness } from '../../services/api/businesses';
import { ApiError } from '../../services/api/transport';
import { instrumentPageUrl } from '../../services/labelUrl';
import { dateText } from '../instrument/statusDisplay';
import './index.scss';
import { pressable } from '../../components/Pressable';

const MISSING_ID = new ApiError('MISSING_BUSINESS_ID', '没有收到经营者编号，请从搜索或扫码结果进入', 400);

/** The order the status summary reads in: what is fine first, then what needs attention. */
const STATUS_ORDER: VerificationStatus[] = ['valid', 'expiring', 'overdue', 'failed', 'unverified', 'suspended'];

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <View className='business__section'>
      <Text className='business__section-title'>{title}</Text>
      {children}
    </View>
  );
}

function Empty({ text }: { text: string }) {
  return <Text className='business__empty'>{text}</Text>;
}

function InstrumentRow({ instrument }: { instrument: PublicInstrumentItem }) {
  const due = dateText(instrument.dueDate);
  const open = () => Taro.navigateTo({ url: instrumentPageUrl(instrument.code) });
  return (
    <View className='business__instrument' {...pressable(open, 'link')} onClick={open}>
      <View className='business__instrument-head'>
        <Text className='business__instrument-name'>{instrument.categoryName}</Text>
        <StatusTag status={instrument.status} />
      </View>
      <Text className='business__instrument-code'>识别码 {instrument.code}</Text>
      <Text className='business__instrument-meta'>
        {instrument.installLocation ? `${instrument.installLocation} · ` : ''}
        {due ? `有效期至 ${due}` : '无检定有效期'}
      </Text>
    </View>
  );
}

function BusinessDetails({ business }: { business: PublicBusinessDetail }) {
  const counts = STATUS_ORDER.filter((status) => (business.statusCounts[status] ?? 0) > 0);
  return (
    <View className='business__content'>
      <View className='business__header'>
        <Text className='business__name'>{business.name}</Text>
        <GradeBadge grade={business.grade} />
        <Text className='business__meta'>
          {business.industryName} · {business.regionName}
        </Text>
        <Text className='business__meta'>{business.address || '地址未登记'}</Text>
      </View>

      <Section title={`计量器具（${business.instrumentCount} 台在用）`}>
        {counts.length > 0 && (
          <View className='business__counts'>
            {counts.map((status) => (
              <View key={status} className='business__count'>
                <StatusTag status={status} />
                <Text className='business__count-number'>{business.statusCounts[status]} 台</Text>
              </View>
            ))}
          </View>
        )}
        {business.instruments.length > 0 ? (
          business.instruments.map((instrument) => <InstrumentRow key={instrument.code} instrument={instrument} />)
        ) : (
          <Empty text='暂无登记的计量器具' />
        )}
      </Section>

      <Section title='监督检查记录'>
        {business.supervision.length > 0 ? (
          business.supervision.map((record) => (
            <View key={record.id} className='business__record'>
              <Text className='business__record-head'>
                {dateText(record.date)} · {record.result}
              </Text>
              <Text className='business__record-text'>{record.summary}</Text>
            </View>
          ))
        ) : (
          <Empty text='暂无监督检查记录' />
        )}
      </Section>

      <Section title='投诉统计'>
        <Text className='business__stat'>
          收到投诉 {business.complaintStats.total} 件，已办结 {business.complaintStats.resolved} 件
        </Text>
      </Section>

      <Section title='经营者回复'>
        {business.replies.length > 0 ? (
          business.replies.map((reply) => (
            <View key={reply.id} className='business__record'>
              <Text className='business__record-head'>{dateText(reply.date)}</Text>
              <Text className='business__record-text'>{reply.text}</Text>
            </View>
          ))
        ) : (
          <Empty text='暂无经营者回复' />
        )}
      </Section>
    </View>
  );
}

/** A business's public page (pages/business/index?id=): grade, instruments and their statuses, supervision, complaints. */
export default function BusinessPage() {
  const { params } = useRouter();
  const id = params.id ?? '';
  const { state, reload } = useRequest((cancellation) => (id ? fetchBusiness(id, cancellation) : null), [id], MISSING_ID);
  return (
    <View className='business'>
      <RequestView
        state={state}
        onRetry={reload}
        notFound={{ title: '未找到该经营者', text: '平台上没有这个经营者，或它已停业注销。可以回到首页重新搜索。' }}
      >
        {(business) => <BusinessDetails business={business} />}
      </RequestView>
    </View>
  );
}
