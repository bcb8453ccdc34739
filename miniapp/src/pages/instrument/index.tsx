import Taro, { useRouter } from '@tarojs/taro';
import { Button, Text, View } from '@tarojs/components';
import type { ScanResponse } from '@shared/api';
import { IntegrityMark } from '../../components/IntegrityMark';
import { InfoRow } from '../../components/InfoRow';
import { useRequest } from '../../hooks/useRequest';
import { Loading } from '../../components/StateView';
import { fetchScan } from '../../services/api/scan';
import { ApiError, NETWORK_ERROR } from '../../services/api/transport';
import { decodeScanParam } from '../../services/labelUrl';
import { STATUS_DISPLAY, dateText, gradeText } from './statusDisplay';
import './index.scss';

const MISSING_Q = new ApiError('MISSING_CODE', '没有收到识别码，请重新扫码或输入识别码', 400);

const FORGED_STATUS_HINT = '这是平台登记的同一识别码器具的状态，不代表眼前的器具';

function goHome(): void {
  Taro.reLaunch({ url: '/pages/index/index' });
}

function StatusCard({ scan }: { scan: ScanResponse }) {
  const display = STATUS_DISPLAY[scan.status];
  // The seal vouches for the label itself, so it needs the server's trust verdict and a valid signature.
  const showMark = scan.trustworthy && scan.signature === 'valid';
  // A forged label may copy a good instrument's code: its registered status must not read as a green light.
  const forged = scan.signature === 'invalid';
  return (
    <View className={`status-card status-card--${forged ? 'muted' : display.tone}`}>
      <View className='status-card__main'>
        <Text className='status-card__badge'>{display.text}</Text>
        <Text className='status-card__hint'>{forged ? FORGED_STATUS_HINT : display.hint}</Text>
      </View>
      {showMark && (
        <View className='status-card__mark'>
          <IntegrityMark />
          <Text className='status-card__mark-text'>标签已核验</Text>
        </View>
      )}
    </View>
  );
}

function SignatureNotice({ scan }: { scan: ScanResponse }) {
  if (scan.signature === 'invalid') {
    return (
      <View className='forged-banner'>
        <Text className='forged-banner__title'>疑似伪造标签</Text>
        <Text className='forged-banner__text'>
          此标签的防伪签名未通过核验，可能不是平台发放的标签。请勿据此信任该器具，可向市场监管部门反映。
        </Text>
      </View>
    );
  }
  if (scan.signature === 'absent') {
    return <Text className='manual-note'>手动输入的识别码，无法核验标签真伪</Text>;
  }
  return null;
}

function ScanDetails({ scan }: { scan: ScanResponse }) {
  const { instrument, business, latestVerification } = scan;
  return (
    <View className='instrument__content'>
      <SignatureNotice scan={scan} />
      <StatusCard scan={scan} />

      <View className='card'>
        <Text className='card__title'>{instrument.categoryName}</Text>
        <InfoRow label='识别码' value={instrument.code} />
        <InfoRow label='型号' value={instrument.model} />
        <InfoRow label='制造商' value={instrument.manufacturer} />
        <InfoRow label='安装位置' value={instrument.installLocation} />
        <InfoRow label='点赞' value={instrument.likes} />
      </View>

      <View className='card'>
        <Text className='card__title'>经营者</Text>
        <InfoRow label='名称' value={business.name} />
        <InfoRow label='行业' value={business.industryName} />
        <InfoRow label='地区' value={business.regionName} />
        <InfoRow label='诚信等级' value={gradeText(business.grade)} />
      </View>

      <View className='card'>
        <Text className='card__title'>最近一次检定</Text>
        {latestVerification ? (
          <View>
            <InfoRow label='检定日期' value={dateText(latestVerification.date)} />
            <InfoRow label='检定结果' value={latestVerification.result === 'pass' ? '合格' : '不合格'} />
            <InfoRow label='检定机构' value={latestVerification.institution} />
            <InfoRow label='证书编号' value={latestVerification.certificateNo} />
            <InfoRow label='有效期至' value={dateText(latestVerification.dueDate)} />
          </View>
        ) : (
          <Text className='card__empty'>暂无检定记录</Text>
        )}
      </View>

      <Button className='action action--secondary' onClick={goHome}>
        返回首页
      </Button>
    </View>
  );
}

/** What went wrong, and the one action that can help: go back and re-enter, or try again. */
function ScanFailure({ error, onRetry }: { error: ApiError; onRetry: () => void }) {
  if (error.status === 404) {
    return (
      <View className='message'>
        <Text className='message__title'>未找到该器具</Text>
        <Text className='message__text'>平台上没有登记这个识别码。请核对标签后重新输入；如标签可疑，可向市场监管部门反映。</Text>
        <Button className='action' onClick={goHome}>
          返回首页
        </Button>
      </View>
    );
  }
  if (error.status === 400) {
    return (
      <View className='message'>
        <Text className='message__title'>识别码有误</Text>
        <Text className='message__text'>{error.message}</Text>
        <Button className='action' onClick={goHome}>
          返回首页
        </Button>
      </View>
    );
  }
  const offline = error.code === NETWORK_ERROR;
  return (
    <View className='message'>
      <Text className='message__title'>{offline ? '网络连接失败' : '暂时无法查询'}</Text>
      <Text className='message__text'>{offline ? '请检查手机网络，然后点“重试”。' : error.message}</Text>
      <Button className='action' onClick={onRetry}>
        重试
      </Button>
    </View>
  );
}

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
