import type { ArticleSummary, ArticleView } from '@shared/api';
import { articleCategoryName } from '@shared/articles';
import { chinaDateString } from '@shared/verification';

export interface ArticleFields {
  _id: unknown;
  title: string;
  category: string;
  summary: string;
  source: string;
  publishedOn: Date;
  paragraphs?: string[] | null;
}

/** An article in the public list: no body, no slug, status or audit times. */
export function presentArticleSummary(a: ArticleFields): ArticleSummary {
  return {
    id: String(a._id),
    title: a.title,
    category: a.category,
    categoryName: articleCategoryName(a.category) ?? a.category,
    summary: a.summary,
    source: a.source,
    publishedOn: chinaDateString(a.publishedOn),
  };
}

export function presentArticle(a: ArticleFields): ArticleView {
  return { ...presentArticleSummary(a), paragraphs: a.paragraphs ?? [] };
}
