/** Publicity articles: metrology laws, policies and integrity notices (duty 6 of the open letter). */

export const ARTICLE_CATEGORIES = [
  { id: 'law', name: '法律法规' },
  { id: 'policy', name: '政策文件' },
  { id: 'publicity', name: '诚信宣传' },
] as const;

export type ArticleCategory = (typeof ARTICLE_CATEGORIES)[number]['id'];
export const ARTICLE_CATEGORY_IDS = ARTICLE_CATEGORIES.map((c) => c.id) as [ArticleCategory, ...ArticleCategory[]];

export function articleCategoryName(id: string): string | undefined {
  return ARTICLE_CATEGORIES.find((c) => c.id === id)?.name;
}
