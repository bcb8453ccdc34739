import { Types } from 'mongoose';
import type { ArticleSummary, ArticleView, ListResponse } from '@shared/api';
import type { ArticleCategory } from '@shared/articles';
import { chinaStartOfDay } from '@shared/verification';
import { notFound } from '../errors';
import type { Models } from '../models';
import { presentArticle, presentArticleSummary, type ArticleFields } from '../presenters/article';

/** Only published articles exist for the public; drafts answer as not found. */
const PUBLISHED = { status: 'published' } as const;

const SUMMARY_FIELDS = { title: 1, category: 1, summary: 1, source: 1, publishedOn: 1 } as const;

/** The public list: published, optionally of one category, newest first (ties: the later made first). */
export async function listPublishedArticles(
  models: Models,
  q: { category?: ArticleCategory; page: number; pageSize: number },
): Promise<ListResponse<ArticleSummary>> {
  const filter = { ...PUBLISHED, ...(q.category ? { category: q.category } : {}) };
  const [docs, total] = await Promise.all([
    models.Article.find(filter, SUMMARY_FIELDS)
      .sort({ publishedOn: -1, _id: -1 })
      .skip((q.page - 1) * q.pageSize)
      .limit(q.pageSize)
      .lean<ArticleFields[]>(),
    models.Article.countDocuments(filter),
  ]);
  return { items: docs.map(presentArticleSummary), total, page: q.page, pageSize: q.pageSize };
}

export async function publishedArticle(models: Models, id: string): Promise<ArticleView> {
  const doc = await models.Article.findOne({ _id: new Types.ObjectId(id), ...PUBLISHED }).lean<ArticleFields>();
  if (!doc) throw notFound('ARTICLE_NOT_FOUND', '未找到该文章');
  return presentArticle(doc);
}

/** An article the product ships with; `publishedOn` is a China calendar day `YYYY-MM-DD`. */
export interface ShippedArticle {
  slug: string;
  title: string;
  category: ArticleCategory;
  summary: string;
  paragraphs: string[];
  source: string;
  publishedOn: string;
}

/**
 * Publishes the articles the product ships with, once each (matched by slug): an article already
 * there is left as it is, so restarts never duplicate one nor undo what a regulator edited or
 * unpublished. Returns how many were added.
 */
export async function ensureShippedArticles(models: Models, articles: readonly ShippedArticle[]): Promise<number> {
  if (articles.length === 0) return 0;
  const result = await models.Article.bulkWrite(
    articles.map(({ slug, publishedOn, ...content }) => ({
      updateOne: {
        filter: { slug },
        update: { $setOnInsert: { slug, ...content, publishedOn: chinaStartOfDay(publishedOn), status: 'published' } },
        upsert: true,
      },
    })),
    { ordered: false },
  );
  return result.upsertedCount;
}
