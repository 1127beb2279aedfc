import { describe, expect, it } from 'vitest';
import {
  JALALI_MONTH_NAMES,
  JALALI_WEEKDAY_NAMES,
  formatJalali,
  gregorianToJalali,
  isJalaliLeapYear,
  isValidJalaliDate,
  jalaliMonthFromName,
  jalaliMonthLength,
  jalaliToGregorian,
  jalaliWeekdayFromName,
} from '../../src/core/jalali.ts';

const DAY = 86_400_000;

describe('jalali ⇄ gregorian', () => {
  // 1 Farvardin of each year, as published in the official calendar.
  const nowruz: [number, string][] = [
    [1300, '1921-03-21'],
    [1354, '1975-03-21'],
    [1357, '1978-03-21'],
    [1370, '1991-03-21'],
    [1375, '1996-03-20'],
    [1379, '2000-03-20'],
    [1390, '2011-03-21'],
    [1391, '2012-03-20'],
    [1393, '2014-03-21'],
    [1399, '2020-03-20'],
    [1400, '2021-03-21'],
    [1403, '2024-03-20'],
    [1404, '2025-03-21'],
    [1420, '2041-03-20'],
    [1500, '2121-03-21'],
  ];
  it.each(nowruz)('1 Farvardin %i is %s', (jy, iso) => {
    const [gy, gm, gd] = iso.split('-').map(Number);
    expect(jalaliToGregorian(jy, 1, 1)).toEqual({ gy, gm, gd });
    expect(gregorianToJalali(gy ?? 0, gm ?? 0, gd ?? 0)).toEqual({ jy, jm: 1, jd: 1 });
  });

  const pairs: [[number, number, number], [number, number, number]][] = [
    [[1393, 5, 28], [2014, 8, 19]],
    [[1402, 12, 10], [2024, 2, 29]],
    [[1378, 10, 11], [2000, 1, 1]],
    [[1357, 11, 22], [1979, 2, 11]],
    [[1403, 7, 3], [2024, 9, 24]],
    [[1402, 12, 29], [2024, 3, 19]],
    [[1403, 12, 30], [2025, 3, 20]],
    [[1403, 6, 31], [2024, 9, 21]],
    [[1403, 7, 1], [2024, 9, 22]],
  ];
  it.each(pairs)('%j ⇄ %j', ([jy, jm, jd], [gy, gm, gd]) => {
    expect(jalaliToGregorian(jy, jm, jd)).toEqual({ gy, gm, gd });
    expect(gregorianToJalali(gy, gm, gd)).toEqual({ jy, jm, jd });
  });

  it('walks every day from 1300/1/1 to 1500/12/end: consecutive, and back again', () => {
    const start = jalaliToGregorian(1300, 1, 1);
    let expected = Date.UTC(start.gy, start.gm - 1, start.gd);
    let days = 0;
    for (let jy = 1300; jy <= 1500; jy++) {
      for (let jm = 1; jm <= 12; jm++) {
        const length = jalaliMonthLength(jy, jm);
        for (let jd = 1; jd <= length; jd++) {
          const g = jalaliToGregorian(jy, jm, jd);
          const at = Date.UTC(g.gy, g.gm - 1, g.gd);
          if (at !== expected) throw new Error(`gap at ${jy}/${jm}/${jd}`);
          const back = gregorianToJalali(g.gy, g.gm, g.gd);
          if (back.jy !== jy || back.jm !== jm || back.jd !== jd) {
            throw new Error(`${jy}/${jm}/${jd} came back as ${back.jy}/${back.jm}/${back.jd}`);
          }
          expected += DAY;
          days++;
        }
      }
    }
    // 201 years of 365 days plus one per leap year.
    expect(days).toBeGreaterThan(201 * 365);
    expect(days).toBeLessThan(201 * 366);
  });

  it('throws a module-named error outside the covered years', () => {
    expect(() => jalaliToGregorian(4000, 1, 1)).toThrow(/^jalali: /);
    expect(() => gregorianToJalali(5000, 1, 1)).toThrow(/^jalali: /);
  });
});

describe('leap years and validity', () => {
  it('knows the leap years around now', () => {
    const leap = [];
    for (let jy = 1360; jy <= 1416; jy++) if (isJalaliLeapYear(jy)) leap.push(jy);
    expect(leap).toEqual([1362, 1366, 1370, 1375, 1379, 1383, 1387, 1391, 1395, 1399, 1403, 1408, 1412, 1416]);
  });

  it('has 1403/12/30 but not 1402/12/30', () => {
    expect(isValidJalaliDate(1403, 12, 30)).toBe(true);
    expect(isValidJalaliDate(1402, 12, 30)).toBe(false);
    expect(jalaliMonthLength(1403, 12)).toBe(30);
    expect(jalaliMonthLength(1402, 12)).toBe(29);
  });

  it('gives 31 days to the first six months and 30 to the next five', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11].map((m) => jalaliMonthLength(1402, m))).toEqual([
      31, 31, 31, 31, 31, 31, 30, 30, 30, 30, 30,
    ]);
  });

  it.each([
    [1403, 0, 1],
    [1403, 13, 1],
    [1403, 1, 0],
    [1403, 1, 32],
    [1403, 7, 31],
    [1403.5, 1, 1],
    [Number.NaN, 1, 1],
    [9999, 1, 1],
  ])('rejects %d/%d/%d without throwing', (jy, jm, jd) => {
    expect(isValidJalaliDate(jy, jm, jd)).toBe(false);
  });
});

describe('names', () => {
  it.each([
    ['فروردین', 1],
    ['اردیبهشت', 2],
    ['اردی‌بهشت', 2],
    ['اردی بهشت', 2],
    ['خرداد', 3],
    ['تير', 4],
    ['مرداد', 5],
    ['امرداد', 5],
    ['شهريور', 6],
    ['مهر', 7],
    ['آبان', 8],
    ['ابان', 8],
    ['آذر', 9],
    ['دی', 10],
    ['دي', 10],
    ['بهمن', 11],
    ['اسفند', 12],
    ['اسپند', 12],
    ['Mordad', 5],
  ])('month %s is %i', (name, month) => {
    expect(jalaliMonthFromName(name)).toBe(month);
  });

  it.each([
    ['شنبه', 6],
    ['یکشنبه', 0],
    ['یک‌شنبه', 0],
    ['يكشنبه', 0],
    ['دوشنبه', 1],
    ['سه شنبه', 2],
    ['سه‌شنبه', 2],
    ['چهارشنبه', 3],
    ['پنجشنبه', 4],
    ['پنج‌شنبه', 4],
    ['جمعه', 5],
  ])('weekday %s is Date#getDay() %i', (name, day) => {
    expect(jalaliWeekdayFromName(name)).toBe(day);
  });

  it('rejects unknown names', () => {
    expect(jalaliMonthFromName('August')).toBeNull();
    expect(jalaliWeekdayFromName('دیروز')).toBeNull();
  });

  it('orders display names as the calendar does', () => {
    expect(JALALI_MONTH_NAMES).toHaveLength(12);
    expect(JALALI_MONTH_NAMES[4]).toBe('مرداد');
    // 2014-08-19 was a Tuesday.
    expect(JALALI_WEEKDAY_NAMES[new Date(Date.UTC(2014, 7, 19)).getUTCDay()]).toBe('سه‌شنبه');
  });
});

describe('formatJalali', () => {
  it('shows Tehran wall time in the summer-time era (+04:30)', () => {
    expect(formatJalali(new Date('2014-08-18T22:14:00Z'))).toBe('۲۸ مرداد ۱۳۹۳، ۰۲:۴۴');
  });

  it('shows Tehran wall time after summer time ended (+03:30)', () => {
    expect(formatJalali(new Date('2023-08-18T22:14:00Z'))).toBe('۲۸ مرداد ۱۴۰۲، ۰۱:۴۴');
  });

  it('uses the given zone', () => {
    expect(formatJalali(new Date('2024-03-19T22:00:00Z'), 'UTC')).toBe('۲۹ اسفند ۱۴۰۲، ۲۲:۰۰');
    expect(formatJalali(new Date('2024-03-19T22:00:00Z'))).toBe('۱ فروردین ۱۴۰۳، ۰۱:۳۰');
  });

  it('throws a module-named error on an invalid Date', () => {
    expect(() => formatJalali(new Date(Number.NaN))).toThrow(/^jalali: /);
  });
});
