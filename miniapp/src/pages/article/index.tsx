import { useRouter } from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import type { ArticleView } from '@shared/api';
import { RequestView } from '../../components/StateView';
import { useRequest } from '../../hooks/useRequest';
import { fetchArticle } from '../../services/api/articles';
import { ApiError } from '../../services/api/transport';
import { dateText } from '../instrument/statusDisplay';
import './index.scss';

const MISSING_ID = new ApiError('MISSING_ARTICLE_ID', '没有收到文章编号，请从文章列表进入', 400);

/** Paragraphs are rendered as text nodes, never as HTML: nothing in an article can become markup or script. */
function ArticleBody({ article }: { article: ArticleView }) {
  return (
    <View className='article'>
      <Text className='article__tag'>{article.categoryName}</Text>
      <Text className='article__title'>{article.title}</Text>
      <Text className='article__meta'>
        {article.source} · {dateText(article.publishedOn)}
      </Text>
      <View className='article__body'>
        {article.paragraphs.map((paragraph, index) => (
          <Text key={index} className='article__paragraph'>
            {paragraph}
          </Text>
        ))}
      </View>
    </View>
  );
}

/** One article (pages/article/index?id=). */
export default function ArticlePage() {
  const { params } = useRouter();
  const id = params.id ?? '';
  const { state, reload } = useRequest((cancellation) => (id ? fetchArticle(id, cancellation) : null), [id], MISSING_ID);
  return (
    <View className='article-page'>
      <RequestView state={state} onRetry={reload} notFound={{ title: '未找到这篇文章', text: '文章可能已下线。可以回到首页查看其他内容。' }}>
        {(article) => <ArticleBody article={article} />}
      </RequestView>
    </View>
  );
}
