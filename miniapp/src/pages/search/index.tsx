import { useState } from 'react';
import { useDidShow, useReachBottom } from '@tarojs/taro';
import { Button, Input, Text, View } from '@tarojs/components';
import { INDUSTRIES } from '@shared/catalogue';
import { GRADE_DISPLAY } from '@shared/grades';
import { HOME_CITY } from '@shared/geo';
import { jinanDistricts } from '@shared/regions';
import { BusinessCard } from '../../components/BusinessCard';
import { FilterBar, type FilterGroup } from '../../components/FilterBar';
import { ListFooter } from '../../components/ListFooter';
import { EmptyState, ErrorState, Loading } from '../../components/StateView';
import { usePagedList } from '../../hooks/usePagedList';
import { searchBusinesses } from '../../services/api/businesses';
import { takeSearchIntent } from '../../services/searchIntent';
import './index.scss';

export const SEARCH_PAGE_SIZE = 10;

const ALL = { value: undefined, label: '全部' };
const INDUSTRY_OPTIONS = [ALL, ...INDUSTRIES.map((industry) => ({ value: industry.id, label: industry.name }))];
/** The districts of the city the platform serves (GB/T 2260 county codes under HOME_CITY). */
const REGION_OPTIONS = [ALL, ...jinanDistricts.map((district) => ({ value: district.code, label: district.name }))];
/** `pending` also finds businesses not graded yet: both read 暂无评级 until the grading issue. */
const GRADE_OPTIONS = [ALL, ...(['A', 'B', 'C', 'D'] as const).map((grade) => ({ value: grade, label: GRADE_DISPLAY[grade].short })), { value: 'pending', label: GRADE_DISPLAY.none.short }];

interface Filters {
  q: string;
  industry?: string;
  region?: string;
  grade?: string;
}

/** The 搜索 tab: a business by name, credit code or instrument code, narrowed by industry, district and grade. */
export default function SearchPage() {
  const [typed, setTyped] = useState('');
  const [filters, setFilters] = useState<Filters>({ q: '' });
  const list = usePagedList(
    (page, cancellation) =>
      searchBusinesses(
        { q: filters.q || undefined, industry: filters.industry, region: filters.region, grade: filters.grade ? [filters.grade] : undefined, page, pageSize: SEARCH_PAGE_SIZE },
        cancellation,
      ),
    [filters.q, filters.industry, filters.region, filters.grade],
  );

  function search(q: string) {
    setTyped(q);
    setFilters((current) => ({ ...current, q: q.trim() }));
  }

  // A query handed over from the home page (switchTab carries no params; tab pages stay mounted).
  useDidShow(() => {
    const intent = takeSearchIntent();
    if (intent !== null) search(intent);
  });
  useReachBottom(list.onReachBottom);

  const groups: FilterGroup[] = [
    { key: 'industry', label: '行业', options: INDUSTRY_OPTIONS, value: filters.industry, onChange: (industry) => setFilters((f) => ({ ...f, industry })) },
    { key: 'region', label: '地区', options: REGION_OPTIONS, value: filters.region, onChange: (region) => setFilters((f) => ({ ...f, region })) },
    { key: 'grade', label: '等级', options: GRADE_OPTIONS, value: filters.grade, onChange: (grade) => setFilters((f) => ({ ...f, grade })) },
  ];
  const narrowed = Boolean(filters.q || filters.industry || filters.region || filters.grade);

  return (
    <View className='search'>
      <View className='search__panel'>
        <Text className='search__label'>
          查找{HOME_CITY.name}的经营者
        </Text>
        <View className='search__box'>
          <Input
            className='search__input'
            value={typed}
            placeholder='经营者名称、信用代码或器具识别码'
            confirmType='search'
            maxlength={50}
            aria-label='经营者名称、统一社会信用代码或器具识别码'
            nativeProps={{ 'aria-label': '经营者名称、统一社会信用代码或器具识别码' }}
            onInput={(event) => setTyped(event.detail.value)}
            onConfirm={() => search(typed)}
          />
          <Button className='search__button' onClick={() => search(typed)}>
            搜索
          </Button>
        </View>
        <FilterBar groups={groups} />
      </View>

      <View className='search__results'>
        {list.state.kind === 'loading' && <Loading text='正在查找…' />}
        {list.state.kind === 'failed' && <ErrorState error={list.state.error} onRetry={list.reload} />}
        {list.state.kind === 'loaded' && list.state.items.length === 0 && (
          <EmptyState
            title={filters.q ? `没有找到“${filters.q}”` : '没有找到符合条件的经营者'}
            text={
              filters.q
                ? '请检查名称是否有错别字，或核对统一社会信用代码（18 位）、器具识别码（19 位）；也可以只输入名称中的几个字。'
                : '换一个行业、地区或等级试试。'
            }
          />
        )}
        {list.state.kind === 'loaded' && list.state.items.length > 0 && (
          <View>
            <Text className='search__count' aria-live='polite'>
              {narrowed ? '找到' : '共有'} {list.state.total} 家经营者
            </Text>
            {list.state.items.map((business) => (
              <BusinessCard key={business.id} business={business} />
            ))}
            <ListFooter more={list.state.more} total={list.state.total} unit='家经营者' onMore={list.loadMore} />
          </View>
        )}
      </View>
    </View>
  );
}
