import Taro from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import type { SessionUser } from '@shared/api';
import { LinkRow } from '../../components/LinkRow';
import { Section } from '../../components/Section';
import { RequestView } from '../../components/StateView';
import { useRequest } from '../../hooks/useRequest';
import { currentUser, renewLogin } from '../../services/auth';
import './index.scss';

const IN_WECHAT = process.env.TARO_ENV === 'weapp';

/** In WeChat the login is silent (wx.login asks nothing of the person), so 我的 logs in when it opens. */
async function wechatUser(): Promise<SessionUser | null> {
  const user = currentUser();
  if (user) return user;
  await renewLogin();
  return currentUser();
}

function WechatAccount() {
  const { state, reload } = useRequest(() => wechatUser(), []);
  return (
    <RequestView state={state} onRetry={reload} compact loadingText='正在登录…'>
      {(user) => (
        <View className='account'>
          <Text className='account__state'>已登录</Text>
          <Text className='account__name'>{user?.displayName || '微信用户'}</Text>
          <Text className='account__note'>您的投诉和点赞记录随微信账号保存。</Text>
        </View>
      )}
    </RequestView>
  );
}

/** A browser has no WeChat account: records belong to a guest id kept on this device. */
function GuestAccount() {
  return (
    <View className='account'>
      <Text className='account__state'>访客身份</Text>
      <Text className='account__note'>
        您正在浏览器中使用，投诉和点赞记录只保存在这台设备的浏览器里；换手机或清除浏览器数据后将无法查看。在微信中打开“诚信计量公示”小程序可随微信账号保存记录。
      </Text>
    </View>
  );
}

export default function MinePage() {
  return (
    <View className='mine'>
      <Section title='账号' className='mine__account'>
        {IN_WECHAT ? <WechatAccount /> : <GuestAccount />}
      </Section>

      <Section title='我的记录' className='mine__entries'>
        <LinkRow title='我的投诉' detail='查看投诉的受理和处理进度' onClick={() => Taro.navigateTo({ url: '/pages/my-complaints/index' })} />
        <LinkRow title='我的点赞' detail='为诚信经营点过赞的器具' onClick={() => Taro.navigateTo({ url: '/pages/my-likes/index' })} />
        <LinkRow title='计量知识' detail='计量法律法规、政策文件与诚信宣传' onClick={() => Taro.navigateTo({ url: '/pages/articles/index' })} />
      </Section>
    </View>
  );
}
