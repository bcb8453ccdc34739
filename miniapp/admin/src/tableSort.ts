import type { TableProps } from 'antd';

/**
 * Server-side sorting of a list screen through the URL's `sort` (`code` ascending, `-code`
 * descending, absent = the API's default order): a column whose `key` is one of the API's sort
 * names is sortable.
 */
type Sorter<T> = Parameters<NonNullable<TableProps<T>['onChange']>>[2];

/** The order antd shows on the column `key` for the URL's `sort`. */
export function sortOrderOf(sort: string | null, key: string): 'ascend' | 'descend' | null {
  if (sort === key) return 'ascend';
  if (sort === `-${key}`) return 'descend';
  return null;
}

/** The URL's `sort` for what the user clicked (undefined: back to the default order). */
export function sortParamOf<T>(sorter: Sorter<T>): string | undefined {
  const s = Array.isArray(sorter) ? sorter[0] : sorter;
  if (!s?.order || s.columnKey === undefined) return undefined;
  return s.order === 'ascend' ? String(s.columnKey) : `-${String(s.columnKey)}`;
}
