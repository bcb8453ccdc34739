import { Cascader } from 'antd';
import { useMemo } from 'react';
import { regionByCode, regionPath, regionsUnder, type Region } from '@shared/regions';

interface Option {
  value: string;
  label: string;
  children?: Option[];
}

function branch(region: Region): Option {
  const children = region.level === 'county' ? [] : regionsUnder(region.code);
  return children.length ? { value: region.code, label: region.name, children: children.map(branch) } : { value: region.code, label: region.name };
}

/** The GB/T 2260 tree a user may pick from: everything for an admin, their own region for a regulator. */
export function regionOptions(scopeCode?: string): Option[] {
  if (!scopeCode) return regionsUnder().map(branch);
  const scope = regionByCode(scopeCode);
  return scope ? [branch(scope)] : [];
}

/** The option path (codes) from the top of `options` down to `code`. */
function pathTo(options: Option[], code: string): string[] {
  for (const o of options) {
    if (o.value === code) return [o.value];
    const below = o.children ? pathTo(o.children, code) : [];
    if (below.length) return [o.value, ...below];
  }
  return [];
}

interface Props {
  id?: string;
  value?: string;
  onChange?: (code: string | undefined) => void;
  scopeCode?: string;
  /** Accept a city or province as well (filters), not only a county (a business's place). */
  anyLevel?: boolean;
  placeholder?: string;
  'aria-invalid'?: boolean;
}

/** A GB/T 2260 region picker (province → city → county) whose value is the 6-digit code. */
export function RegionPicker({ id, value, onChange, scopeCode, anyLevel, placeholder, ...rest }: Props) {
  const options = useMemo(() => regionOptions(scopeCode), [scopeCode]);
  const path = value ? pathTo(options, value) : [];
  return (
    <Cascader
      id={id}
      aria-invalid={rest['aria-invalid']}
      options={options}
      value={path.length ? path : undefined}
      onChange={(codes) => onChange?.(codes?.length ? String(codes[codes.length - 1]) : undefined)}
      changeOnSelect={anyLevel}
      showSearch={{ filter: (input, path) => path.some((o) => String(o.label).includes(input)) }}
      placeholder={placeholder ?? '选择或搜索地区'}
      displayRender={(labels) => (value ? regionPath(value).join(' / ') || labels.join(' / ') : labels.join(' / '))}
      style={{ width: '100%' }}
      allowClear
    />
  );
}
