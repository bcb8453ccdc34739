import { useState } from 'react';
import Taro from '@tarojs/taro';
import { Button, Input, Text, View } from '@tarojs/components';
import type { PublicBusinessItem } from '@shared/api';
import { distanceText } from '@shared/geo';
import { gradeDisplay } from '@shared/grades';
import { IntegrityMark } from '../../components/IntegrityMark';
import { LinkRow } from '../../components/LinkRow';
import { pressable } from '../../components/Pressable';
import { Section } from '../../components/Section';
import { EmptyState, RequestView } from '../../components/StateView';
import { useRequest } from '../../hooks/useRequest';
import { fetchArticles } from '../../services/api/articles';
import { searchBusinesses } from '../../services/api/businesses';
import { instrumentPageUrl } from '../../services/labelUrl';
import { setSearchIntent } from '../../services/searchIntent';
import { alreadyGrantedLocation } from './location';
import './index.scss';

const SEARCH_TAB = '/pages/search/index';
const NEARBY_TAB = '/pages/nearby/index';
const TRUSTED_GRADES = ['A', 'B'];
const HOME_LIST_SIZE = 3;

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

function openNearby(): void {
  Taro.switchTab({ url: NEARBY_TAB });
}

/** Scan, or type the code printed under the QR (the way in when scanning fails). */
function CodeQuery() {
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
    <>
      <Button className='home__scan' onClick={onScan} {...pressable(onScan)}>
        <View className='home__scan-icon' aria-hidden='true' />
        <Text>扫一扫</Text>
      </Button>

      <Section title='输入识别码查询'>
        <View className='home__query'>
          <Input
            className='home__input'
            value={code}
            focus={inputFocused}
            placeholder='识别码或器具编号'
            confirmType='search'
            nativeProps={{ 'aria-label': '识别码或器具编号' }}
            onInput={(event) => setCode(event.detail.value)}
            onBlur={() => setInputFocused(false)}
            onConfirm={onQuery}
          />
          <Button className='home__query-button' onClick={onQuery} {...pressable(onQuery)}>
            查询
          </Button>
        </View>
      </Section>
    </>
  );
}

/** Hands the words to the 搜索 tab (switchTab carries no params, so through searchIntent). */
function BusinessSearchBox() {
  const [words, setWords] = useState('');

  function onSearch() {
    setSearchIntent(words);
    Taro.switchTab({ url: SEARCH_TAB });
  }

  return (
    <Section title='查找经营者'>
      <View className='home__query'>
        <Input
          className='home__search-input'
          value={words}
          placeholder='名称、信用代码或识别码'
          confirmType='search'
          nativeProps={{ 'aria-label': '搜索经营者名称、信用代码或器具识别码' }}
          onInput={(event) => setWords(event.detail.value)}
          onConfirm={onSearch}
        />
        <Button className='home__search-button' onClick={onSearch} {...pressable(onSearch)}>
          搜索
        </Button>
      </View>
    </Section>
  );
}

function TrustedBusinessRow({ business }: { business: PublicBusinessItem }) {
  const distance = business.distance === undefined ? null : distanceText(business.distance);
  const detail = [business.industryName, business.regionName, distance].filter(Boolean).join(' · ');
  return (
    <LinkRow
      className='home__business'
      title={business.name}
      detail={detail}
      aside={<Text className='home__grade'>{gradeDisplay(business.grade).short}</Text>}
      onClick={() => Taro.navigateTo({ url: `/pages/business/index?id=${encodeURIComponent(business.id)}` })}
    />
  );
}

/** The first few A/B businesses near the visitor, when their position is already allowed. */
function NearbyTrusted() {
  const { state, reload } = useRequest(async (cancellation) => {
    const near = await alreadyGrantedLocation();
    if (!near) return { located: false, items: [] as PublicBusinessItem[] };
    const list = await searchBusinesses({ near, grade: TRUSTED_GRADES, pageSize: HOME_LIST_SIZE }, cancellation);
    return { located: true, items: list.items };
  }, []);
  const toNearby = { label: '查看附近', onClick: openNearby };

  return (
    <Section title='附近的诚信经营者' className='home__nearby' more={{ label: '附近', onClick: openNearby }}>
      <RequestView state={state} onRetry={reload} compact loadingText='正在查找附近的经营者…'>
        {({ located, items }) => {
          if (!located) return <EmptyState compact title='未获取位置' text='允许使用位置后，这里会列出您附近的 A/B 级诚信经营者。' action={toNearby} />;
          if (items.length === 0) return <EmptyState compact title='附近暂无 A/B 级经营者' text='可在“附近”查看周边的全部经营者。' action={toNearby} />;
          return items.map((business) => <TrustedBusinessRow key={business.id} business={business} />);
        }}
      </RequestView>
    </Section>
  );
}

function LatestArticles() {
  const { state, reload } = useRequest((cancellation) => fetchArticles({ pageSize: HOME_LIST_SIZE }, cancellation), []);
  return (
    <Section title='计量知识' className='home__articles' more={{ label: '全部', onClick: () => Taro.navigateTo({ url: '/pages/articles/index' }) }}>
      <RequestView state={state} onRetry={reload} compact loadingText='正在加载文章…'>
        {({ items }) =>
          items.length === 0 ? (
            <EmptyState compact title='暂无文章' />
          ) : (
            items.map((article) => (
              <LinkRow
                key={article.id}
                className='home__article'
                title={article.title}
                detail={`${article.categoryName} · ${article.publishedOn}`}
                onClick={() => Taro.navigateTo({ url: `/pages/article/index?id=${encodeURIComponent(article.id)}` })}
              />
            ))
          )
        }
      </RequestView>
    </Section>
  );
}

/** Subscriptions are their own issue: this card says what is coming, and takes nothing yet. */
function SubscribeEntry() {
  const [asked, setAsked] = useState(false);
  const ask = () => setAsked(true);
  return (
    <Section title='订阅诚信经营者推送' className='home__subscribe'>
      <Text className='home__text'>关注的经营者评级变化、器具检定到期时，通过微信消息提醒您。</Text>
      <Button className='home__subscribe-button' onClick={ask} {...pressable(ask)}>
        订阅
      </Button>
      <View role='status' aria-live='polite'>
        {asked && <Text className='home__subscribe-note'>即将开放：订阅功能正在建设中，敬请期待。</Text>}
      </View>
    </Section>
  );
}

export default function IndexPage() {
  return (
    <View className='home'>
      <View className='home__hero'>
        <IntegrityMark size='large' />
        <View className='home__title' role='heading' aria-level={1}>
          <Text>诚信计量公示</Text>
        </View>
        <Text className='home__subtitle'>扫一扫计量器具上的诚信标签，查看它是否经过检定</Text>
      </View>

      <View className='home__body'>
        <CodeQuery />
        <BusinessSearchBox />
        <NearbyTrusted />
        <LatestArticles />
        <SubscribeEntry />

        <Section title='什么是诚信计量标签？'>
          <Text className='home__text'>
            集贸市场的电子秤、加油机、出租车计价器、血压计等强制检定的计量器具，都应贴有带“诚信计量”标志的二维码标签。每个器具有唯一的识别码。
          </Text>
          <Text className='home__text'>
            扫描标签即可查看器具是否检定合格、检定有效期、所属经营者及其诚信等级。标签若显示“疑似伪造”，或器具未检定、检定过期，请谨慎交易，并可向市场监管部门反映。
          </Text>
        </Section>
      </View>
    </View>
  );
}
