import { useState } from 'react';
import { Text, View } from '@tarojs/components';
import './index.scss';

export interface FilterOption {
  /** undefined: no filter (全部). */
  value: string | undefined;
  label: string;
}

export interface FilterGroup {
  key: string;
  /** 行业, 地区, 等级. */
  label: string;
  options: FilterOption[];
  value: string | undefined;
  onChange: (value: string | undefined) => void;
}

/**
 * A row of filters, each shown as "行业：全部". Tapping one opens its options as chips beneath
 * (one open at a time); choosing a chip applies it and closes the group. The chosen chip is marked
 * with ✓ and aria-pressed, not by colour alone.
 */
export function FilterBar({ groups }: { groups: FilterGroup[] }) {
  const [open, setOpen] = useState<string | null>(null);
  const openGroup = groups.find((group) => group.key === open);
  return (
    <View className='filter-bar'>
      <View className='filter-bar__row'>
        {groups.map((group) => {
          const chosen = group.options.find((option) => option.value === group.value) ?? group.options[0];
          const expanded = open === group.key;
          return (
            <View
              key={group.key}
              className={`filter-bar__toggle${group.value !== undefined ? ' filter-bar__toggle--active' : ''}${expanded ? ' filter-bar__toggle--open' : ''}`}
              role='button'
              aria-expanded={expanded}
              onClick={() => setOpen(expanded ? null : group.key)}
            >
              <Text className='filter-bar__toggle-text'>
                {group.label}：{chosen.label}
              </Text>
              <Text className='filter-bar__caret' aria-hidden='true'>
                {expanded ? '▴' : '▾'}
              </Text>
            </View>
          );
        })}
      </View>
      {openGroup && (
        <View className='filter-bar__options' role='group' aria-label={`选择${openGroup.label}`}>
          {openGroup.options.map((option) => {
            const selected = option.value === openGroup.value;
            return (
              <View
                key={option.label}
                className={`filter-bar__chip${selected ? ' filter-bar__chip--selected' : ''}`}
                role='button'
                aria-pressed={selected}
                onClick={() => {
                  openGroup.onChange(option.value);
                  setOpen(null);
                }}
              >
                {selected && (
                  <Text className='filter-bar__check' aria-hidden='true'>
                    ✓{' '}
                  </Text>
                )}
                <Text>{option.label}</Text>
              </View>
            );
          })}
        </View>
      )}
    </View>
  );
}
