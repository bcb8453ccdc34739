import Taro, { useRouter } from '@tarojs/taro';
import { Button, Text, View } from '@tarojs/components';
import type { ScanResponse } from '@shared/api';
import { FORGED_LABEL, MANUAL_CODE_NOTE, scanVerdict } from '@shared/verdict';
import { InfoRow } from '../../components/InfoRow';
import { LikeButton } from '../../components/LikeButton';
import { StatusBadge } from '../../components/StatusBadge';
import { useRequest } from '../../hooks/useRequest';
import { Loading } from '../../components/StateView';
import { fetchScan } from '../../services/api/scan';
import { ApiError, NETWORK_ERROR } from '../../services/api/transport';
import { decodeScanParam } from '../../services/labelUrl';
import { complaintPageUrl } from '../complaint/target';
import { dateText, gradeText } from './statusDisplay';
import { pressable } from '../../components/Pressable';
import './index.scss';

const MISSING_Q = new ApiError('MISSING_CODE', '没有收到识别码，请重新扫码或输入识别码', 400);

function goHome(): void {
  Taro.reLaunch({ url: '/pages/index/index' });
}

function SignatureNotice({ scan }: { scan: ScanResponse }) {
  if (scan.signature === 'invalid') {
    return (
      <View className='forged-banner' role='alert'>
        <Text className='forged-banner__title'>{FORGED_LABEL.title}</Text>
        <Text className='forged-banner__text'>{FORGED_LABEL.text}</Text>
      </View>
    );
  }
  if (scan.signature === 'absent') {
    return <Text className='manual-note'>{MANUAL_CODE_NOTE}</Text>;
  }
  return null;
}

/**
 * Like and complain. A forged label gets no like (it may not be the registered instrument), and
 * its complaint form starts on 标签异常.
 */
function Actions({ scan }: { scan: ScanResponse }) {
  const forged = scan.signature === 'invalid';
  const complain = () =>
    Taro.navigateTo({
      url: complaintPageUrl({ code: scan.instrument.code, category: forged ? 'label' : undefined, name: scan.business.name }),
    });
  return (
    <View className='actions'>
      {!forged && <LikeButton code={scan.instrument.code} likes={scan.instrument.likes} />}
      <Button className={`action action--complain${forged ? ' action--alarm' : ''}`} onClick={complain} {...pressable(complain)}>
        {forged ? '举报标签异常' : '我要投诉'}
      </Button>
    </View>
  );
}

function ScanDetails({ scan }: { scan: ScanResponse }) {
  const { instrument, business, latestVerification } = scan;
  const openBusiness = () => Taro.navigateTo({ url: `/pages/business/index?id=${encodeURIComponent(business.id)}` });
  return (
    <View className='instrument__content'>
      <SignatureNotice scan={scan} />
      <StatusBadge verdict={scanVerdict(scan)} />
      <Actions scan={scan} />

      <View className='card card--instrument'>
        <Text className='card__title'>{instrument.categoryName}</Text>
        <InfoRow label='识别码' value={instrument.code} />
        <InfoRow label='型号' value={instrument.model} />
        <InfoRow label='制造商' value={instrument.manufacturer} />
        <InfoRow label='安装位置' value={instrument.installLocation} />
      </View>

      <View className='card card--verification'>
        <Text className='card__title'>最近一次检定</Text>
        {latestVerification ? (
          <View>
            <InfoRow label='检定日期' value={dateText(latestVerification.date)} />
            <InfoRow label='检定结果' value={latestVerification.result === 'pass' ? '合格' : '不合格'} />
            <InfoRow label='有效期至' value={dateText(latestVerification.dueDate)} />
            <InfoRow label='检定机构' value={latestVerification.institution} />
            <InfoRow label='证书编号' value={latestVerification.certificateNo} />
          </View>
        ) : (
          <Text className='card__empty'>暂无检定记录</Text>
        )}
      </View>

      <View className='card card--business'>
        <Text className='card__title'>经营者</Text>
        <InfoRow label='名称' value={business.name} />
        <InfoRow label='行业' value={business.industryName} />
        <InfoRow label='地区' value={business.regionName} />
        <InfoRow label='诚信等级' value={gradeText(business.grade)} />
        <Button className='card__link' onClick={openBusiness} {...pressable(openBusiness)}>
          查看经营者详情 ›
        </Button>
      </View>

      <View className='card card--supervision'>
        <Text className='card__title'>最近监督检查</Text>
        <Text className='card__empty'>暂无监督检查记录</Text>
      </View>

      <Button className='action action--secondary' onClick={goHome} {...pressable(goHome)}>
        返回首页
      </Button>
    </View>
  );
}

/** What went wrong, and the one action that can help: go back and re-enter, or try again. */
function ScanFailure({ error, onRetry }: { error: ApiError; onRetry: () => void }) {
  if (error.status === 404) {
    return (
      <View className='message' role='alert'>
        <Text className='message__title'>未找到该器具</Text>
        <Text className='message__text'>平台上没有登记这个识别码。请核对标签后重新输入；如标签可疑，可向市场监管部门反映。</Text>
        <Button className='action' onClick={goHome} {...pressable(goHome)}>
          返回首页
        </Button>
      </View>
    );
  }
  if (error.status === 400) {
    return (
      <View className='message' role='alert'>
        <Text className='message__title'>识别码有误</Text>
        <Text className='message__text'>{error.message}</Text>
        <Button className='action' onClick={goHome} {...pressable(goHome)}>
          返回首页
        </Button>
      </View>
    );
  }
  const offline = error.code === NETWORK_ERROR;
  return (
    <View className='message' role='alert'>
      <Text className='message__title'>{offline ? '网络连接失败' : '暂时无法查询'}</Text>
      <Text className='message__text'>{offline ? '请检查手机网络，然后点“重试”。' : error.message}</Text>
      <Button className='action' onClick={onRetry} {...pressable(onRetry)}>
        重试
      </Button>
    </View>
  );
}

/**
 * Everything on this page comes from the one scan call, so the verdict appears as soon as that
 * answers; nothing else is asked for before it (the scan-to-verdict budget depends on it).
 */
export default function InstrumentPage() {
  const { params } = useRouter();
  const q = decodeScanParam(params.q);
  const { state, reload } = useRequest((cancellation) => (q ? fetchScan(q, cancellation) : null), [q], MISSING_Q);

  return (
    <View className='instrument'>
      {state.kind === 'loading' && <Loading />}
      {state.kind === 'failed' && <ScanFailure error={state.error} onRetry={reload} />}
      {state.kind === 'loaded' && <ScanDetails scan={state.data} />}
    </View>
  );
}
