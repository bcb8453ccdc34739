import { setSearchIntent, takeSearchIntent } from '../../miniapp/src/services/searchIntent';

describe('a search handed to the 搜索 tab', () => {
  afterEach(() => {
    takeSearchIntent();
  });

  test('is taken once, trimmed', () => {
    setSearchIntent('  宋记水饺 ');

    expect(takeSearchIntent()).toBe('宋记水饺');
    expect(takeSearchIntent()).toBeNull();
  });

  test('the latest words replace earlier ones that were never taken', () => {
    setSearchIntent('超市');
    setSearchIntent('加油站');

    expect(takeSearchIntent()).toBe('加油站');
  });

  test('empty words leave nothing to take, so the tab shows what it had', () => {
    setSearchIntent('超市');
    setSearchIntent('   ');

    expect(takeSearchIntent()).toBeNull();
  });
});
