import { Select } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { api } from '../../api/endpoints';

interface Option {
  value: string;
  label: string;
}

interface Props {
  id?: string;
  value?: string;
  onChange: (id: string | undefined) => void;
  /** Search only businesses of this region (the region filter of the page). */
  region?: string;
}

const SEARCH_DELAY_MS = 300;

/**
 * A business chosen by name: the list is searched on the server (/admin/businesses?q=, the
 * caller's region only), the first 20 shown; a value from the URL is looked up for its name.
 */
export function BusinessSelect({ id, value, onChange, region }: Props) {
  const [search, setSearch] = useState('');
  const [options, setOptions] = useState<Option[]>([]);
  const [loading, setLoading] = useState(false);
  const [chosen, setChosen] = useState<Option | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout>>();

  useEffect(() => {
    const ctrl = new AbortController();
    clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      setLoading(true);
      api
        .businesses({ q: search.trim() || undefined, region, pageSize: 20, sort: 'name' }, ctrl.signal)
        .then((list) => setOptions(list.items.map((b) => ({ value: b.id, label: `${b.name}（${b.regionName}）` }))))
        .catch(() => undefined)
        .finally(() => !ctrl.signal.aborted && setLoading(false));
    }, search ? SEARCH_DELAY_MS : 0);
    return () => {
      clearTimeout(timer.current);
      ctrl.abort();
    };
  }, [search, region]);

  // A business named by the URL that is not among the options: show its name, not its id.
  useEffect(() => {
    if (!value || chosen?.value === value || options.some((o) => o.value === value)) return;
    let live = true;
    api
      .business(value)
      .then((b) => live && setChosen({ value: b.id, label: `${b.name}（${b.regionName}）` }))
      .catch(() => live && onChange(undefined));
    return () => {
      live = false;
    };
  }, [value, chosen, options, onChange]);

  const all = chosen && !options.some((o) => o.value === chosen.value) ? [chosen, ...options] : options;
  return (
    <Select
      id={id}
      value={value}
      options={all}
      allowClear
      placeholder="输入名称搜索经营者"
      loading={loading}
      notFoundContent={loading ? '正在搜索…' : '没有匹配的经营者'}
      showSearch={{ filterOption: false, onSearch: setSearch }}
      onChange={(v: string | undefined) => {
        setChosen(all.find((o) => o.value === v) ?? null);
        onChange(v);
      }}
      style={{ width: 280 }}
    />
  );
}
