import { useState } from 'react';
import Taro, { useReachBottom } from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import type { ArticleSummary } from '@shared/api';
import { ARTICLE_CATEGORIES } from '@shared/articles';
import { ListFooter } from '../../components/ListFooter';
import { EmptyState, ErrorState, Loading } from '../../components/StateView';
import { usePagedList } from '../../hooks/usePagedList';
import { fetchArticles } from '../../services/api/articles';
import { dateText } from '../instrument/statusDisplay';
import './index.scss';
import { pressable } from '../../components/Pressable';

export const ARTICLES_PAGE_SIZE = 10;

const TABS: Array<{ id: string | undefined; name: string }> = [{ id: undefined, name: '全部' }, ...ARTICLE_CATEGORIES];

export function articlePageUrl(id: string): string {
  return `/pages/article/index?id=${encodeURIComponent(id)}`;
}

function ArticleItem({ article }: { article: ArticleSummary }) {
  const open = () => Taro.navigateTo({ url: articlePageUrl(article.id) });
  return (
    <View className='articles__item' {...pressable(open, 'link')} onClick={open}>
      <Text className='articles__tag'>{article.categoryName}</Text>
      <Text className='articles__title'>{article.title}</Text>
      <Text className='articles__summary'>{article.summary}</Text>
      <Text className='articles__meta'>
        {article.source} · {dateText(article.publishedOn)}
      </Text>
    </View>
  );
}

/** 计量知识: laws, policy documents and integrity publicity, newest first, one category at a time or all. */
export default function ArticlesPage() {
  const [category, setCategory] = useState<string | undefined>(undefined);
  const list = usePagedList((page, cancellation) => fetchArticles({ page, pageSize: ARTICLES_PAGE_SIZE, category }, cancellation), [category]);
  useReachBottom(list.onReachBottom);

  return (
    <View className='articles'>
      <View className='articles__tabs' role='tablist'>
        {TABS.map((tab) => {
          const selected = tab.id === category;
          return (
            <View
              key={tab.name}
              className={`articles__tab${selected ? ' articles__tab--selected' : ''}`}
              role='tab'
              aria-selected={selected}
              onClick={() => setCategory(tab.id)}
            >
              {tab.name}
            </View>
          );
        })}
      </View>
      <View className='articles__list' role='tabpanel'>
        {list.state.kind === 'loading' && <Loading />}
        {list.state.kind === 'failed' && <ErrorState error={list.state.error} onRetry={list.reload} />}
        {list.state.kind === 'loaded' && list.state.items.length === 0 && <EmptyState title='这一栏目还没有文章' text='看看其他栏目吧。' />}
        {list.state.kind === 'loaded' && list.state.items.length > 0 && (
          <View>
            {list.state.items.map((article) => (
              <ArticleItem key={article.id} article={article} />
            ))}
            <ListFooter more={list.state.more} total={list.state.total} unit='篇' onMore={list.loadMore} />
          </View>
        )}
      </View>
    </View>
  );
}
