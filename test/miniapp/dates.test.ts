/**
 * How the instrument page shows a date: the China calendar day, whatever form the API sends it in.
 */
import { dateText } from '../../miniapp/src/pages/instrument/statusDisplay';

test('a China calendar day from the API reads as itself', () => {
  expect(dateText('2027-09-11')).toBe('2027-09-11');
});

test('an instant reads as its day in China, not in UTC (China midnight is 16:00 UTC the day before)', () => {
  expect(dateText('2027-09-10T16:00:00.000Z')).toBe('2027-09-11');
  expect(dateText('2026-10-20T15:30:00.000Z')).toBe('2026-10-20');
  expect(dateText('2026-10-20T23:30:00+08:00')).toBe('2026-10-20');
});

test('no date reads as nothing, and a malformed one is not shown as a wrong day', () => {
  expect(dateText(null)).toBeNull();
  expect(dateText(undefined)).toBeNull();
  expect(dateText('')).toBeNull();
  expect(dateText('not a date')).toBeNull();
});
