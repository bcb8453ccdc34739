import { dueDateFor, chinaDateString, EXPIRING_WINDOW_DAYS, isTrustworthy, UnknownCategoryError, verificationStatus } from '@shared/verification';

const inUse = { status: 'in_use' as const, category: 'price_scale' };
/** 00:00 China time on a China calendar date. */
const china = (date: string, time = '00:00') => new Date(`${date}T${time}:00+08:00`);

describe('dueDateFor', () => {
  test('the due date is the last valid day: verified 2025-03-10 with a 12-month cycle → 2026-03-09', () => {
    expect(chinaDateString(dueDateFor('price_scale', china('2025-03-10')) as Date)).toBe('2026-03-09');
    expect(dueDateFor('price_scale', china('2025-03-10'))).toEqual(china('2026-03-09'));
  });

  test('uses the China calendar day, not the UTC one', () => {
    // 2025-03-10 07:30 China is still 2025-03-09 in UTC.
    expect(chinaDateString(dueDateFor('price_scale', china('2025-03-10', '07:30')) as Date)).toBe('2026-03-09');
    // 2025-03-10 23:30 China is 15:30 UTC the same day; still the China day 03-10.
    expect(chinaDateString(dueDateFor('price_scale', '2025-03-10T15:30:00Z') as Date)).toBe('2026-03-09');
    expect(chinaDateString(dueDateFor('price_scale', '2025-03-10T16:30:00Z') as Date)).toBe('2026-03-10');
  });

  test('month ends are clamped: 2025-08-31 + 6 months → valid through 2026-02-27', () => {
    expect(chinaDateString(dueDateFor('fuel_dispenser', china('2025-08-31')) as Date)).toBe('2026-02-27');
  });

  test('replace-by meters fall due at the end of their service life; thermometers never by the calendar', () => {
    expect(chinaDateString(dueDateFor('water_meter', china('2020-05-01')) as Date)).toBe('2026-04-30');
    expect(dueDateFor('thermometer', china('2020-05-01'))).toBeNull();
  });

  test('an unknown category is an error with a stable code', () => {
    expect(() => dueDateFor('kettle', new Date())).toThrow(UnknownCategoryError);
    try {
      dueDateFor('kettle', new Date());
    } catch (error) {
      expect((error as UnknownCategoryError).code).toBe('UNKNOWN_CATEGORY');
    }
  });
});

describe('verificationStatus', () => {
  const pass = (date: string, dueDate?: string) => ({ date: china(date), result: 'pass' as const, dueDate: dueDate ? china(dueDate) : undefined });

  test('suspended and retired instruments are "suspended" whatever their records say', () => {
    expect(verificationStatus({ ...inUse, status: 'suspended' }, [pass('2026-01-01')], china('2026-02-01'))).toBe('suspended');
    expect(verificationStatus({ ...inUse, status: 'retired' }, [], china('2026-02-01'))).toBe('suspended');
  });

  test('no record → unverified', () => {
    expect(verificationStatus(inUse, [], china('2026-02-01'))).toBe('unverified');
  });

  test('the latest record decides: a later pass clears an earlier fail, a later fail beats an earlier pass', () => {
    const fail = (date: string) => ({ date: china(date), result: 'fail' as const });
    expect(verificationStatus(inUse, [fail('2025-12-01'), pass('2025-12-05')], china('2026-01-01'))).toBe('valid');
    expect(verificationStatus(inUse, [fail('2025-12-05'), pass('2025-12-01')], china('2026-01-01'))).toBe('failed');
  });

  test('dates may arrive as ISO strings (JSON)', () => {
    expect(verificationStatus(inUse, [{ date: '2025-12-05T02:00:00.000Z', result: 'pass', dueDate: null }], china('2026-01-01'))).toBe('valid');
  });

  describe('boundaries around a due date of 2026-03-09 (verified 2025-03-10, 12 months)', () => {
    const records = [pass('2025-03-10')];
    const cases: Array<[string, string, string]> = [
      ['2026-02-06', '23:59', 'valid'], // 31 days left
      ['2026-02-07', '00:00', 'expiring'], // exactly 30 days left
      ['2026-03-09', '00:00', 'expiring'], // due today, first minute
      ['2026-03-09', '23:59', 'expiring'], // due today, last minute
      ['2026-03-10', '00:00', 'overdue'], // the day after the due date
    ];
    test.each(cases)('as of %s %s China time → %s', (date, time, expected) => {
      expect(verificationStatus(inUse, records, china(date, time))).toBe(expected);
    });

    test('the window is 30 days', () => {
      expect(EXPIRING_WINDOW_DAYS).toBe(30);
    });

    test('asOf 2026-03-09 16:30 UTC is already 2026-03-10 in China → overdue', () => {
      expect(verificationStatus(inUse, records, new Date('2026-03-09T16:30:00Z'))).toBe('overdue');
      expect(verificationStatus(inUse, records, new Date('2026-03-09T15:59:59Z'))).toBe('expiring');
    });
  });

  test("a due date stated on the certificate wins over the category's cycle", () => {
    expect(verificationStatus(inUse, [pass('2025-03-10', '2025-09-09')], china('2025-12-01'))).toBe('overdue');
  });

  test('a passed thermometer stays valid; a water meter past its service life is overdue', () => {
    expect(verificationStatus({ status: 'in_use', category: 'thermometer' }, [pass('2015-01-01')], china('2026-01-01'))).toBe('valid');
    expect(verificationStatus({ status: 'in_use', category: 'water_meter' }, [pass('2019-01-01')], china('2026-01-01'))).toBe('overdue');
  });
});

describe('isTrustworthy', () => {
  const statuses = ['valid', 'expiring', 'overdue', 'failed', 'unverified', 'suspended'] as const;
  it('is true only for a genuine label on a valid or expiring instrument', () => {
    const trusted: string[] = [];
    for (const signature of ['valid', 'invalid', 'absent'] as const) {
      for (const status of statuses) if (isTrustworthy(signature, status)) trusted.push(`${signature}/${status}`);
    }
    expect(trusted).toEqual(['valid/valid', 'valid/expiring']);
  });
});
