import { HOME_CITY, distanceText } from '@shared/geo';
import { jinanDistricts } from '@shared/regions';

describe('distances as a person reads them', () => {
  test.each([
    [0.4, '1 米'],
    [850.4, '850 米'],
    [999.4, '999 米'],
    [1000, '1.0 公里'],
    [1234, '1.2 公里'],
    [9_960, '10.0 公里'],
    [12_400, '12 公里'],
  ])('%d m reads %s', (metres, text) => {
    expect(distanceText(metres)).toBe(text);
  });
});

test('the home city is 济南市, whose districts the search page offers', () => {
  expect(HOME_CITY.code).toBe('3701');
  expect(jinanDistricts.every((district) => district.code.startsWith(HOME_CITY.code))).toBe(true);
});
