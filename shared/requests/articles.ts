import { z } from 'zod';
import { ARTICLE_CATEGORY_IDS } from '@shared/articles';
import { Pagination, objectIdSchema } from '@shared/schemas';

export const ListArticles = Pagination.extend({ category: z.enum(ARTICLE_CATEGORY_IDS).optional() });

export const ArticleIdParams = z.object({ id: objectIdSchema });
