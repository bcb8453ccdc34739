import { useState } from 'react';
import { Button, Text, View } from '@tarojs/components';
import { likeInstrument } from '../../services/api/likes';
import { asApiError, NETWORK_ERROR, type ApiError } from '../../services/api/transport';
import { pressable, whileSending } from '../Pressable';
import './index.scss';

export interface LikeButtonProps {
  /** The instrument's platform code. */
  code: string;
  /** The count the page loaded with. */
  likes: number;
}

type Outcome = 'none' | 'liked' | 'already';

function likeErrorText(error: ApiError): string {
  if (error.code === NETWORK_ERROR) return '网络连接失败，点赞未成功，请稍后重试';
  if (error.status === 429) return '操作太频繁，请稍后再试';
  if (error.status === 404) return '平台上找不到这个器具，无法点赞';
  return `点赞未成功：${error.message}`;
}

/**
 * Like with its count. Not optimistic: the number shown is always the server's (one like per
 * person per instrument per China day, so a second tap answers 今日已点赞 with the same count).
 */
export function LikeButton({ code, likes }: LikeButtonProps) {
  const [count, setCount] = useState(likes);
  const [sending, setSending] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>('none');
  const [error, setError] = useState<string | null>(null);

  const like = async () => {
    if (sending) return;
    setSending(true);
    setError(null);
    try {
      const answer = await likeInstrument(code);
      setCount(answer.likes);
      setOutcome(answer.alreadyLiked ? 'already' : 'liked');
    } catch (cause) {
      setError(likeErrorText(asApiError(cause)));
    } finally {
      setSending(false);
    }
  };

  const liked = outcome !== 'none';
  return (
    <View className='like'>
      <Button className={`like__button${liked ? ' like__button--liked' : ''}`} onClick={like} {...pressable(like)} {...whileSending(sending)} aria-label={`${liked ? '已点赞' : '点赞'}，${count} 个赞`}>
        <Text className='like__icon' aria-hidden='true'>
          {liked ? '♥' : '♡'}
        </Text>
        <Text className='like__label'>{liked ? '已点赞' : '点赞'}</Text>
        <Text className='like__count'>{count}</Text>
      </Button>
      <View className='like__status' aria-live='polite'>
        {outcome === 'liked' && !error && <Text className='like__note'>感谢您的认可</Text>}
        {outcome === 'already' && !error && <Text className='like__note'>今日已点赞</Text>}
        {error && (
          <View className='like__error' role='alert'>
            {error}
          </View>
        )}
      </View>
    </View>
  );
}
