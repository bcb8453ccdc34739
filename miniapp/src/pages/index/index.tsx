import { useState } from 'react';
import Taro from '@tarojs/taro';
import { Button, Input, Text, View } from '@tarojs/components';
import { IntegrityMark } from '../../components/IntegrityMark';
import { instrumentPageUrl } from '../../services/labelUrl';
import './index.scss';

/**
 * The QR's content, or null when nothing was read. In a browser Taro.scanCode needs WeChat's
 * web SDK and otherwise "succeeds" with no result, so both outcomes lead to typing the code.
 */
async function scanLabel(): Promise<string | null> {
  try {
    const { result } = await Taro.scanCode({ scanType: ['qrCode', 'barCode'] });
    return result?.trim() || null;
  } catch {
    return null;
  }
}

function openInstrument(q: string): void {
  Taro.navigateTo({ url: instrumentPageUrl(q) });
}

export default function IndexPage() {
  const [code, setCode] = useState('');
  const [inputFocused, setInputFocused] = useState(false);

  async function onScan() {
    const scanned = await scanLabel();
    if (scanned) {
      openInstrument(scanned);
      return;
    }
    Taro.showToast({ title: '未能扫码，请输入识别码', icon: 'none' });
    setInputFocused(true);
  }

  function onQuery() {
    const typed = code.trim();
    if (!typed) {
      Taro.showToast({ title: '请输入识别码', icon: 'none' });
      setInputFocused(true);
      return;
    }
    openInstrument(typed);
  }

  return (
    <View className='home'>
      <View className='home__hero'>
        <IntegrityMark size='large' />
        <Text className='home__title'>诚信计量公示</Text>
        <Text className='home__subtitle'>扫一扫计量器具上的诚信标签，查看它是否经过检定</Text>
      </View>

      <View className='home__body'>
        <Button className='home__scan' onClick={onScan}>
          <View className='home__scan-icon' />
          <Text>扫一扫</Text>
        </Button>

        <View className='home__card'>
          <Text className='home__card-title'>输入识别码查询</Text>
          <View className='home__query'>
            <Input
              className='home__input'
              value={code}
              focus={inputFocused}
              placeholder='识别码或器具编号'
              confirmType='search'
              onInput={(event) => setCode(event.detail.value)}
              onBlur={() => setInputFocused(false)}
              onConfirm={onQuery}
            />
            <Button className='home__query-button' onClick={onQuery}>
              查询
            </Button>
          </View>
        </View>

        <View className='home__card'>
          <Text className='home__card-title'>什么是诚信计量标签？</Text>
          <Text className='home__text'>
            集贸市场的电子秤、加油机、出租车计价器、血压计等强制检定的计量器具，都应贴有带“诚信计量”标志的二维码标签。每个器具有唯一的识别码。
          </Text>
          <Text className='home__text'>
            扫描标签即可查看器具是否检定合格、检定有效期、所属经营者及其诚信等级。标签若显示“疑似伪造”，或器具未检定、检定过期，请谨慎交易，并可向市场监管部门反映。
          </Text>
        </View>
      </View>
    </View>
  );
}
