import { useDriverFixture } from './fixture';

/**
 * `$dateTrunc`, `$dateAdd` and `$dateSubtract` with time zones, as the MongoDB manual describes them
 * (reference/operator/aggregation/dateTrunc, dateAdd, dateSubtract): the calculation is done on the
 * wall clock of `timezone`; adding months keeps to the last day of a shorter month.
 */
const f = useDriverFixture('dates');
beforeAll(async () => {
  await f.db.collection('d').insertOne({ _id: 1 as any });
});

const evaluate = async (expression: unknown) => {
  const [doc] = await f.db.collection('d').aggregate([{ $project: { _id: 0, v: expression } }]).toArray();
  return doc.v;
};
const at = (iso: string) => new Date(iso);

describe('$dateTrunc', () => {
  it('truncates to the day of the time zone, not of UTC', async () => {
    // 01:00 on 31 January in China (+08:00) is 17:00 UTC on the 30th.
    expect(await evaluate({ $dateTrunc: { date: at('2025-01-30T17:00:00Z'), unit: 'day', timezone: '+08:00' } })).toEqual(at('2025-01-30T16:00:00Z'));
    expect(await evaluate({ $dateTrunc: { date: at('2025-01-30T15:59:00Z'), unit: 'day', timezone: '+08:00' } })).toEqual(at('2025-01-29T16:00:00Z'));
    expect(await evaluate({ $dateTrunc: { date: at('2025-01-30T17:00:00Z'), unit: 'day', timezone: 'Asia/Shanghai' } })).toEqual(at('2025-01-30T16:00:00Z'));
    expect(await evaluate({ $dateTrunc: { date: at('2025-01-30T17:00:00Z'), unit: 'day' } })).toEqual(at('2025-01-30T00:00:00Z'));
  });

  it('truncates to the month and the year of the time zone', async () => {
    // 01:00 on 1 February in China.
    expect(await evaluate({ $dateTrunc: { date: at('2025-01-31T17:00:00Z'), unit: 'month', timezone: '+08:00' } })).toEqual(at('2025-01-31T16:00:00Z'));
    expect(await evaluate({ $dateTrunc: { date: at('2025-12-31T17:00:00Z'), unit: 'year', timezone: '+08' } })).toEqual(at('2025-12-31T16:00:00Z'));
    expect(await evaluate({ $dateTrunc: { date: at('2025-05-20T00:00:00Z'), unit: 'quarter' } })).toEqual(at('2025-04-01T00:00:00Z'));
  });

  it('truncates hours in a zone with a half-hour offset, and weeks from their first day', async () => {
    // 15:50 in +05:30 → 15:00 there, 09:30 UTC.
    expect(await evaluate({ $dateTrunc: { date: at('2021-01-01T10:20:00Z'), unit: 'hour', timezone: '+05:30' } })).toEqual(at('2021-01-01T09:30:00Z'));
    // Wednesday 2 December 2026: the week began on Sunday 29 November (default), Monday 30 with startOfWeek.
    expect(await evaluate({ $dateTrunc: { date: at('2026-12-02T12:00:00Z'), unit: 'week' } })).toEqual(at('2026-11-29T00:00:00Z'));
    expect(await evaluate({ $dateTrunc: { date: at('2026-12-02T12:00:00Z'), unit: 'week', startOfWeek: 'monday' } })).toEqual(at('2026-11-30T00:00:00Z'));
  });

  it('answers null for a missing date', async () => {
    expect(await evaluate({ $dateTrunc: { date: '$nothing', unit: 'day' } })).toBeNull();
  });
});

describe('$dateAdd and $dateSubtract', () => {
  it('adding a month to the last day of a month gives the last day of the next', async () => {
    expect(await evaluate({ $dateAdd: { startDate: at('2020-10-31T12:10:05Z'), unit: 'month', amount: 1 } })).toEqual(at('2020-11-30T12:10:05Z'));
    expect(await evaluate({ $dateAdd: { startDate: at('2024-01-31T00:00:00Z'), unit: 'month', amount: 1 } })).toEqual(at('2024-02-29T00:00:00Z'));
    expect(await evaluate({ $dateSubtract: { startDate: at('2021-03-31T00:00:00Z'), unit: 'month', amount: 1 } })).toEqual(at('2021-02-28T00:00:00Z'));
    expect(await evaluate({ $dateAdd: { startDate: at('2024-02-29T00:00:00Z'), unit: 'year', amount: 1 } })).toEqual(at('2025-02-28T00:00:00Z'));
  });

  it('counts months on the wall clock of the time zone', async () => {
    // 01:00 on 31 January in China + 1 month → 01:00 on 28 February in China.
    expect(await evaluate({ $dateAdd: { startDate: at('2025-01-30T17:00:00Z'), unit: 'month', amount: 1, timezone: '+08:00' } })).toEqual(at('2025-02-27T17:00:00Z'));
    // The same instant in UTC is 30 January: + 1 month is 28 February (clamped), 17:00.
    expect(await evaluate({ $dateAdd: { startDate: at('2025-01-30T17:00:00Z'), unit: 'month', amount: 1 } })).toEqual(at('2025-02-28T17:00:00Z'));
  });

  it('a day across a daylight-saving change keeps the wall-clock time; hours are durations', async () => {
    // 12:00 EST on 13 March 2021 + 1 day → 12:00 EDT on the 14th (23 hours later).
    expect(await evaluate({ $dateAdd: { startDate: at('2021-03-13T17:00:00Z'), unit: 'day', amount: 1, timezone: 'America/New_York' } })).toEqual(at('2021-03-14T16:00:00Z'));
    expect(await evaluate({ $dateAdd: { startDate: at('2021-03-13T17:00:00Z'), unit: 'hour', amount: 24, timezone: 'America/New_York' } })).toEqual(at('2021-03-14T17:00:00Z'));
  });

  it('answers null for a missing start date', async () => {
    expect(await evaluate({ $dateAdd: { startDate: '$nothing', unit: 'day', amount: 1 } })).toBeNull();
  });
});
