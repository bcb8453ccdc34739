import type { ReactNode } from 'react';
import Taro from '@tarojs/taro';
import { Button, Text, View } from '@tarojs/components';
import type { RequestState } from '../../hooks/useRequest';
import { NETWORK_ERROR, type ApiError } from '../../services/api/transport';
import './index.scss';

/** Announced to screen readers (aria-live) while a page waits for its data. */
export function Loading({ text = '加载中…' }: { text?: string }) {
  return (
    <View className='state state--loading' role='status' aria-live='polite' aria-busy='true'>
      <View className='state__spinner' aria-hidden='true' />
      <Text className='state__text'>{text}</Text>
    </View>
  );
}

export interface StateMessageProps {
  title: string;
  text?: string;
  /** The one thing that can help, e.g. 重试 or 返回首页. */
  action?: { label: string; onClick: () => void };
  children?: ReactNode;
}

function StateMessage({ kind, title, text, action, children }: StateMessageProps & { kind: 'empty' | 'error' | 'not-found' }) {
  return (
    <View className={`state state--${kind}`} role={kind === 'empty' ? undefined : 'alert'}>
      <Text className='state__title'>{title}</Text>
      {text && <Text className='state__text'>{text}</Text>}
      {children}
      {action && (
        <Button className='state__action' onClick={action.onClick}>
          {action.label}
        </Button>
      )}
    </View>
  );
}

/** Nothing to show yet (no results, no complaints): says so, and what to do instead. */
export function EmptyState(props: StateMessageProps) {
  return <StateMessage kind='empty' {...props} />;
}

/** The page's record does not exist (404): says so plainly, with a way on. */
export function NotFound({ action = { label: '返回首页', onClick: goHome }, ...props }: StateMessageProps) {
  return <StateMessage kind='not-found' action={action} {...props} />;
}

/** A failed request: offline or the server's message, with 重试. */
export function ErrorState({ error, onRetry }: { error: ApiError; onRetry: () => void }) {
  const offline = error.code === NETWORK_ERROR;
  return (
    <StateMessage
      kind='error'
      title={offline ? '网络连接失败' : '暂时无法加载'}
      text={offline ? '请检查手机网络，然后点“重试”。' : error.message}
      action={{ label: '重试', onClick: onRetry }}
    />
  );
}

export function goHome(): void {
  Taro.switchTab({ url: '/pages/index/index' }).catch(() => Taro.reLaunch({ url: '/pages/index/index' }));
}

export interface RequestViewProps<T> {
  state: RequestState<T>;
  onRetry: () => void;
  loadingText?: string;
  /** Shown for a 404 instead of the generic error. */
  notFound?: StateMessageProps;
  children: (data: T) => ReactNode;
}

/** Loading → data, or the right failure state: how every page renders what useRequest gives it. */
export function RequestView<T>({ state, onRetry, loadingText, notFound, children }: RequestViewProps<T>) {
  if (state.kind === 'loading') return <Loading text={loadingText} />;
  if (state.kind === 'failed') {
    if (state.error.status === 404 && notFound) return <NotFound {...notFound} />;
    return <ErrorState error={state.error} onRetry={onRetry} />;
  }
  return <>{children(state.data)}</>;
}
